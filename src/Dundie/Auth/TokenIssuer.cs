using System.Security.Claims;
using System.Text;
using Dundie.Settings;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dundie.Auth;

/// <summary>Signs access and refresh tokens (HS256) and checks refresh tokens.</summary>
public sealed class TokenIssuer
{
    private const string Issuer = "dundie";
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly SecurityOptions security;
    private readonly TimeProvider time;
    private readonly SigningCredentials credentials;

    public TokenIssuer(IOptions<SecurityOptions> security, TimeProvider time)
    {
        this.security = security.Value;
        this.time = time;
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(this.security.SecretKey!));
        credentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        ValidationParameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            NameClaimType = DundieClaims.Subject,
            RoleClaimType = DundieClaims.Role,
            LifetimeValidator = (notBefore, expires, _, _) => expires > time.GetUtcNow().UtcDateTime,
        };
    }

    /// <summary>How every Dundie token is checked: signature, algorithm, issuer, audience and expiry.</summary>
    public TokenValidationParameters ValidationParameters { get; }

    /// <summary>Issues a fresh access and refresh token for the user.</summary>
    public TokenResponse Issue(string username) =>
        new(Create(username, TokenScopes.Access, security.AccessTokenLifetime),
            Create(username, TokenScopes.Refresh, security.RefreshTokenLifetime));

    /// <summary>Returns the username a valid, unexpired refresh token was issued to, or null.</summary>
    public async Task<string?> ReadRefreshTokenAsync(string token)
    {
        var result = await handler.ValidateTokenAsync(token, ValidationParameters);
        if (!result.IsValid || result.ClaimsIdentity.FindFirst(DundieClaims.Scope)?.Value != TokenScopes.Refresh)
        {
            return null;
        }
        return result.ClaimsIdentity.FindFirst(DundieClaims.Subject)?.Value;
    }

    private string Create(string username, string scope, TimeSpan lifetime)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(DundieClaims.Subject, username), new Claim(DundieClaims.Scope, scope)]),
            Issuer = Issuer,
            Audience = Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = credentials,
        });
    }
}
