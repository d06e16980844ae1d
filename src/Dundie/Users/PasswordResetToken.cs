namespace Dundie.Users;

/// <summary>A single-use, short-lived permission to set a user's password, sent by e-mail.</summary>
/// <remarks>Only a SHA-256 hash of the token is stored, so a read of the database does not give away working tokens.</remarks>
public sealed class PasswordResetToken
{
    public int Id { get; set; }

    public int UserId { get; set; }

    public User User { get; set; } = null!;

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>When the token was spent; null while it is unused.</summary>
    public DateTime? UsedAt { get; set; }
}
