namespace Dundie.Auth;

/// <summary>The values of a Dundie JWT's <c>scope</c> claim, as the course names them.</summary>
public static class TokenScopes
{
    /// <summary>Authenticates API requests.</summary>
    public const string Access = "access_token";

    /// <summary>Only buys a new pair of tokens at <c>POST /refresh_token</c>.</summary>
    public const string Refresh = "refresh_token";
}
