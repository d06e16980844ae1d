using Microsoft.Extensions.Configuration;

namespace Dundie.Settings;

/// <summary>Limits on the password-reset endpoint (<c>DUNDIE_RATE_LIMIT__*</c>).</summary>
/// <remarks>Each request enqueues work that may send an e-mail, so both a client and a mailbox are limited.</remarks>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RATE_LIMIT";

    /// <summary>Requests one client IP may make per <see cref="PwdResetWindow"/>.</summary>
    [ConfigurationKeyName("PWD_RESET_PER_IP")]
    public int PwdResetPerIp { get; set; } = 10;

    /// <summary>Requests for one e-mail address per <see cref="PwdResetWindow"/>.</summary>
    [ConfigurationKeyName("PWD_RESET_PER_EMAIL")]
    public int PwdResetPerEmail { get; set; } = 3;

    /// <summary>The fixed window both limits count in.</summary>
    [ConfigurationKeyName("PWD_RESET_WINDOW")]
    public TimeSpan PwdResetWindow { get; set; } = TimeSpan.FromMinutes(15);
}
