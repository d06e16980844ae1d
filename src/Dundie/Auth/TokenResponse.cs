namespace Dundie.Auth;

/// <summary>The answer of <c>POST /token</c> and <c>POST /refresh_token</c>.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken)
{
    /// <summary>Always <c>bearer</c>.</summary>
    public string TokenType => "bearer";
}

/// <summary>The body of <c>POST /refresh_token</c>.</summary>
public sealed record RefreshTokenRequest(string? RefreshToken) : Api.IValidatable
{
    public void Validate(Api.FieldErrors errors) => errors.Require("refresh_token", RefreshToken);
}
