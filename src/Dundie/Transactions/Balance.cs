using Dundie.Users;

namespace Dundie.Transactions;

/// <summary>A user's current points: the sum of what they received minus what they gave.</summary>
/// <remarks>
/// Kept in step with <see cref="Transaction"/> rows inside the database transaction that adds them,
/// so reading a balance never sums the history. Superusers may go negative: they are where points come from.
/// </remarks>
public sealed class Balance
{
    public int UserId { get; set; }

    public User User { get; set; } = null!;

    public long Value { get; set; }

    public DateTime UpdatedAt { get; set; }
}
