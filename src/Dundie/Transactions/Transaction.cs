using Dundie.Users;

namespace Dundie.Transactions;

/// <summary>Points given by one user (<see cref="From"/>) to another (<see cref="User"/>).</summary>
public sealed class Transaction
{
    public int Id { get; set; }

    /// <summary>The receiver's id.</summary>
    public int UserId { get; set; }

    /// <summary>The receiver.</summary>
    public User User { get; set; } = null!;

    /// <summary>The sender's id.</summary>
    public int FromId { get; set; }

    /// <summary>The sender.</summary>
    public User From { get; set; } = null!;

    /// <summary>Always positive.</summary>
    public int Value { get; set; }

    /// <summary>When the points moved (UTC).</summary>
    public DateTime Date { get; set; }
}
