using Dundie.Api;
using Dundie.Data;
using Microsoft.EntityFrameworkCore;

namespace Dundie.Transactions;

/// <summary>Reads transactions page by page, with the filters of <c>GET /transaction/</c>.</summary>
public sealed class TransactionHistory(DundieDb db)
{
    /// <summary>Returns one page of transactions.</summary>
    /// <param name="query">A query that passed validation.</param>
    /// <param name="visibleTo">When set, only transactions this user sent or received; null for a superuser.</param>
    /// <param name="cancellationToken">Cancels the database calls.</param>
    public async Task<Paged<TransactionResponse>> ListAsync(
        TransactionListQuery query, string? visibleTo, CancellationToken cancellationToken = default)
    {
        var transactions = db.Transactions.AsNoTracking();
        if (visibleTo is not null)
        {
            transactions = transactions.Where(t => t.User.Username == visibleTo || t.From.Username == visibleTo);
        }
        if (!string.IsNullOrEmpty(query.User))
        {
            transactions = transactions.Where(t => t.User.Username == query.User);
        }
        if (!string.IsNullOrEmpty(query.FromUser))
        {
            transactions = transactions.Where(t => t.From.Username == query.FromUser);
        }
        var total = await transactions.CountAsync(cancellationToken);
        // Ties on date (same clock tick) are broken by id so pages never overlap or skip.
        var ordered = query.NewestFirst
            ? transactions.OrderByDescending(t => t.Date).ThenByDescending(t => t.Id)
            : transactions.OrderBy(t => t.Date).ThenBy(t => t.Id);
        var items = await ordered
            .Skip((query.PageNumber - 1) * query.PageSize)
            .Take(query.PageSize)
            .Select(t => new TransactionResponse(t.Id, t.Value, t.Date, t.User.Username, t.From.Username))
            .ToListAsync(cancellationToken);
        return new(items, total, query.PageNumber, query.PageSize);
    }
}
