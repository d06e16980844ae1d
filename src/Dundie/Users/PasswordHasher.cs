using Dundie.Settings;
using Microsoft.Extensions.Options;

namespace Dundie.Users;

/// <summary>Hashes and checks passwords with bcrypt.</summary>
public sealed class PasswordHasher(IOptions<SecurityOptions> options)
{
    // Checked against when a username is unknown, so a failed login costs the same whether or not the user exists.
    private readonly Lazy<string> decoy = new(() => BCrypt.Net.BCrypt.HashPassword("decoy", options.Value.BcryptWorkFactor));

    /// <summary>Returns a salted bcrypt hash of the password.</summary>
    public string Hash(string password) => BCrypt.Net.BCrypt.HashPassword(password, options.Value.BcryptWorkFactor);

    /// <summary>Tells whether the password matches the hash; a null hash (no such user) never matches but costs the same.</summary>
    public bool Verify(string password, string? hash)
    {
        var matches = BCrypt.Net.BCrypt.Verify(password, hash ?? decoy.Value);
        return hash is not null && matches;
    }
}
