using Microsoft.Extensions.Configuration;

namespace Dundie.Settings;

/// <summary>Security settings (<c>DUNDIE_SECURITY__*</c>).</summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "SECURITY";

    /// <summary>The fewest bytes an HS256 signing key may have.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The HS256 key that signs access and refresh tokens.</summary>
    [ConfigurationKeyName("SECRET_KEY")]
    public string? SecretKey { get; set; }

    /// <summary>When true and <see cref="SecretKey"/> is empty, a key is generated once and kept in the data folder.</summary>
    /// <remarks>Set by <c>dundie up</c> and in the Development environment; never in production.</remarks>
    [ConfigurationKeyName("GENERATE_SECRET_KEY")]
    public bool GenerateSecretKey { get; set; }

    /// <summary>The page a password-reset link points to; the token is appended as <c>?pwd_reset_token=</c>.</summary>
    [ConfigurationKeyName("PWD_RESET_URL")]
    public string PwdResetUrl { get; set; } = "http://localhost:8000/reset_password";

    /// <summary>How long an access token is valid.</summary>
    [ConfigurationKeyName("ACCESS_TOKEN_EXPIRE")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a refresh token is valid.</summary>
    [ConfigurationKeyName("REFRESH_TOKEN_EXPIRE")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromMinutes(600);

    /// <summary>How long a password-reset token is valid.</summary>
    [ConfigurationKeyName("PWD_RESET_TOKEN_EXPIRE")]
    public TimeSpan PwdResetTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The bcrypt work factor for password hashes.</summary>
    /// <remarks>Tests lower it: every step doubles the cost of a login.</remarks>
    [ConfigurationKeyName("BCRYPT_WORK_FACTOR")]
    public int BcryptWorkFactor { get; set; } = 12;
}
