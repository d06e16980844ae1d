using MailKit.Security;
using Microsoft.Extensions.Configuration;

namespace Dundie.Settings;

/// <summary>E-mail settings (<c>DUNDIE_EMAIL__*</c>).</summary>
public sealed class EmailOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "EMAIL";

    /// <summary>When true, messages are appended to <see cref="LogFile"/> instead of being sent.</summary>
    [ConfigurationKeyName("DEBUG_MODE")]
    public bool DebugMode { get; set; } = true;

    /// <summary>The file debug-mode messages are appended to.</summary>
    [ConfigurationKeyName("LOG_FILE")]
    public string LogFile { get; set; } = "email.log";

    /// <summary>The From address.</summary>
    [ConfigurationKeyName("SMTP_SENDER")]
    public string SmtpSender { get; set; } = "dundie@dundermifflin.com";

    /// <summary>The SMTP server host.</summary>
    [ConfigurationKeyName("SMTP_SERVER")]
    public string SmtpServer { get; set; } = "localhost";

    /// <summary>The SMTP server port.</summary>
    [ConfigurationKeyName("SMTP_PORT")]
    public int SmtpPort { get; set; } = 25;

    /// <summary>How the connection is secured: <c>Auto</c>, <c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c>.</summary>
    [ConfigurationKeyName("SMTP_TLS")]
    public SecureSocketOptions SmtpTls { get; set; } = SecureSocketOptions.Auto;

    /// <summary>The SMTP user; empty means no authentication.</summary>
    [ConfigurationKeyName("SMTP_USER")]
    public string? SmtpUser { get; set; }

    /// <summary>The SMTP password.</summary>
    [ConfigurationKeyName("SMTP_PASSWORD")]
    public string? SmtpPassword { get; set; }

    /// <summary>How often a failed e-mail job is tried again.</summary>
    [ConfigurationKeyName("SEND_RETRIES")]
    public int SendRetries { get; set; } = 3;

    /// <summary>The wait before the first retry; each later retry waits twice as long as the one before.</summary>
    [ConfigurationKeyName("SEND_RETRY_BACKOFF")]
    public TimeSpan SendRetryBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one SMTP exchange may take.</summary>
    [ConfigurationKeyName("SMTP_TIMEOUT")]
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
