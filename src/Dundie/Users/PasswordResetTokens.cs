using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dundie.Data;
using Dundie.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dundie.Users;

/// <summary>Issues and spends password-reset tokens: random, single use, valid for a few minutes.</summary>
public sealed class PasswordResetTokens(DundieDb db, TimeProvider time, IOptions<SecurityOptions> security)
{
    /// <summary>Creates a token for the user and returns it; only its hash is stored.</summary>
    public async Task<string> IssueAsync(User user, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // Expired tokens are useless; dropping them here keeps the table from growing with every request.
        await db.PasswordResetTokens
            .Where(t => t.UserId == user.Id && t.ExpiresAt <= now)
            .ExecuteDeleteAsync(cancellationToken);

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.PasswordResetTokens.Add(new PasswordResetToken
        {
            UserId = user.Id,
            TokenHash = Hash(token),
            ExpiresAt = now + security.Value.PwdResetTokenLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Marks the user's token as used; false when it is unknown, someone else's, expired or already used.</summary>
    /// <remarks>
    /// One conditional UPDATE both checks and spends the token, so two requests racing with the same token
    /// cannot both succeed. Call it inside the transaction that changes the password.
    /// </remarks>
    public async Task<bool> TryConsumeAsync(User user, string token, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(token);
        var spent = await db.PasswordResetTokens
            .Where(t => t.TokenHash == hash && t.UserId == user.Id && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        return spent == 1;
    }

    private static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
