using Dundie.Transactions;

namespace Dundie.Users;

/// <summary>A person who gives and receives Dundie points.</summary>
public sealed class User
{
    /// <summary>The department whose members are superusers.</summary>
    public const string ManagementDept = "management";

    public int Id { get; set; }

    /// <summary>Unique, stored lower-case.</summary>
    public required string Email { get; set; }

    /// <summary>Unique; derived from the name when not given.</summary>
    public required string Username { get; set; }

    public required string Name { get; set; }

    public required string Dept { get; set; }

    public string? Avatar { get; set; }

    public string? Bio { get; set; }

    public string Currency { get; set; } = "USD";

    /// <summary>A bcrypt hash; the password itself is never stored.</summary>
    public required string PasswordHash { get; set; }

    public Balance? Balance { get; set; }

    /// <summary>Superusers (dept <c>management</c>) may see every balance, create users and give points without a balance.</summary>
    public bool IsSuperuser => Dept == ManagementDept;
}
