using Dundie.Data;
using Dundie.Users;
using Microsoft.EntityFrameworkCore;

namespace Dundie.Transactions;

/// <summary>How a transfer ended.</summary>
public enum TransferOutcome
{
    /// <summary>The points moved and the transaction was recorded.</summary>
    Done,

    /// <summary>No user has the receiver's username.</summary>
    UnknownReceiver,

    /// <summary>Sender and receiver are the same user.</summary>
    SameUser,

    /// <summary>The sender (not a superuser) has fewer points than the value.</summary>
    InsufficientBalance,
}

/// <summary>The outcome of <see cref="Transfers.TransferAsync"/>, with the new transaction when it is <see cref="TransferOutcome.Done"/>.</summary>
public sealed record TransferResult(TransferOutcome Outcome, Transaction? Transaction = null);

/// <summary>Moves points between users: the only code that writes transactions and balances.</summary>
public sealed class Transfers(DundieDb db, TimeProvider time)
{
    /// <summary>Gives <paramref name="value"/> points from <paramref name="sender"/> to the user named <paramref name="receiverUsername"/>.</summary>
    /// <remarks>
    /// The debit is one conditional UPDATE (<c>... WHERE value &gt;= @value</c>), so the balance check and the debit are
    /// one atomic step: two concurrent transfers cannot both spend the same points, on PostgreSQL (the row lock
    /// re-evaluates the condition) or SQLite (one writer at a time). Both balances and the transaction row are
    /// written in one database transaction; a crash anywhere before the commit leaves nothing behind.
    /// </remarks>
    public async Task<TransferResult> TransferAsync(
        User sender, string receiverUsername, int value, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        var receiverId = await db.Users.Where(u => u.Username == receiverUsername).Select(u => (int?)u.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (receiverId is null)
        {
            return new(TransferOutcome.UnknownReceiver);
        }
        if (receiverId == sender.Id)
        {
            return new(TransferOutcome.SameUser);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var senderBalance = db.Balances.Where(b => b.UserId == sender.Id);
        if (!sender.IsSuperuser)
        {
            senderBalance = senderBalance.Where(b => b.Value >= value);
        }
        var debited = await senderBalance.ExecuteUpdateAsync(
            s => s.SetProperty(b => b.Value, b => b.Value - value).SetProperty(b => b.UpdatedAt, now), cancellationToken);
        if (debited == 0)
        {
            return new(TransferOutcome.InsufficientBalance);
        }
        await db.Balances.Where(b => b.UserId == receiverId).ExecuteUpdateAsync(
            s => s.SetProperty(b => b.Value, b => b.Value + value).SetProperty(b => b.UpdatedAt, now), cancellationToken);
        var row = new Transaction { UserId = receiverId.Value, FromId = sender.Id, Value = value, Date = now };
        db.Transactions.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(TransferOutcome.Done, row);
    }
}
