using Dundie.Api;
using Microsoft.AspNetCore.Mvc;

namespace Dundie.Transactions;

/// <summary>The body of <c>POST /transaction/{username}/</c>: points to give now, or at a future time.</summary>
public sealed record TransferRequest(int? Value, DateTimeOffset? At = null) : IValidatable
{
    public void Validate(FieldErrors errors)
    {
        if (errors.Require("value", Value) && Value <= 0)
        {
            errors.Add("value", "Must be greater than 0.");
        }
        if (At is not null && At <= errors.Now)
        {
            errors.Add("at", "Must be in the future.");
        }
    }
}

/// <summary>A transaction as the API shows it, with usernames for both sides.</summary>
public sealed record TransactionResponse(int Id, int Value, DateTime Date, string User, string FromUser);

/// <summary>The answer to a scheduled transfer: the job that will apply it.</summary>
public sealed record ScheduledTransferResponse(string JobId, DateTimeOffset At, string Status = "scheduled");

/// <summary>The query of <c>GET /transaction/</c>.</summary>
public sealed record TransactionListQuery(
    [property: FromQuery(Name = "user")] string? User,
    [property: FromQuery(Name = "from_user")] string? FromUser,
    [property: FromQuery(Name = "order_by")] string? OrderBy,
    [property: FromQuery(Name = "page")] string? Page,
    [property: FromQuery(Name = "size")] string? Size) : IValidatable
{
    public const int DefaultSize = 50;
    public const int MaxSize = 100;

    /// <summary>The page number, from 1.</summary>
    public int PageNumber => int.TryParse(Page, out var page) ? page : 1;

    /// <summary>The page size.</summary>
    public int PageSize => int.TryParse(Size, out var size) ? size : DefaultSize;

    /// <summary>True for newest first (<c>order_by=-date</c>, the default).</summary>
    public bool NewestFirst => OrderBy is null or "-date";

    public void Validate(FieldErrors errors)
    {
        if (Page is not null && (!int.TryParse(Page, out var page) || page < 1))
        {
            errors.Add("page", "A whole number from 1.");
        }
        if (Size is not null && (!int.TryParse(Size, out var size) || size is < 1 or > MaxSize))
        {
            errors.Add("size", $"A whole number from 1 to {MaxSize}.");
        }
        else if ((long)(PageNumber - 1) * PageSize > int.MaxValue)
        {
            errors.Add("page", "Past the last possible page.");
        }
        if (OrderBy is not null and not ("date" or "-date"))
        {
            errors.Add("order_by", "One of: date, -date.");
        }
    }
}
