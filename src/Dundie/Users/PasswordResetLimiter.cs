using System.Threading.RateLimiting;
using Dundie.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dundie.Users;

/// <summary>Limits password-reset requests per client IP (a rate-limiter policy) and per e-mail address.</summary>
/// <remarks>
/// The per-address limit cannot be a middleware policy: the address is in the body, which the policy's partition
/// function does not read. The endpoint asks <see cref="TryAcquire"/> once the body is bound. Counts live in this
/// process: several API replicas each allow the full limit.
/// </remarks>
public sealed class PasswordResetLimiter : IDisposable
{
    /// <summary>The rate-limiter policy that counts requests per client IP.</summary>
    public const string PerIpPolicy = "pwd-reset-per-ip";

    private readonly PartitionedRateLimiter<string> perEmail;

    public PasswordResetLimiter(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        perEmail = PartitionedRateLimiter.Create<string, string>(email =>
            RateLimitPartition.GetFixedWindowLimiter(email, _ => Window(limits.PwdResetPerEmail, limits.PwdResetWindow)));
    }

    /// <summary>Counts a request for <paramref name="email"/>; false when the address is over its limit.</summary>
    public bool TryAcquire(string email)
    {
        using var lease = perEmail.AttemptAcquire(UserAccounts.NormalizeEmail(email));
        return lease.IsAcquired;
    }

    /// <summary>Adds the per-IP policy; rejected requests get 429.</summary>
    public static void AddPerIpPolicy(RateLimiterOptions options, RateLimitOptions limits)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(PerIpPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => Window(limits.PwdResetPerIp, limits.PwdResetWindow)));
    }

    public void Dispose() => perEmail.Dispose();

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
