using System.Net;
using System.Net.Http.Headers;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

public sealed class AuthTests(DundieApiFactory api) : IClassFixture<DundieApiFactory>
{
    [Fact]
    public async Task Token_ValidCredentials_ReturnsBearerPair()
    {
        await api.CreateUserAsync("Pam Beesly", username: "pam-auth");

        var tokens = await DundieApiFactory.RequestTokensAsync(api.CreateClient(), "pam-auth", DundieApiFactory.DefaultPassword);

        Assert.Equal("bearer", tokens.TokenType);
        Assert.NotEmpty(tokens.AccessToken);
        Assert.NotEqual(tokens.AccessToken, tokens.RefreshToken);
    }

    [Theory]
    [InlineData("admin", "wrong-password")]
    [InlineData("nobody-at-all", "whatever-password")]
    public async Task Token_WrongCredentials_Returns401WithChallenge(string username, string password)
    {
        var response = await api.CreateClient().PostAsync("/token", Form(("username", username), ("password", password)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("Incorrect username or password", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Token_MissingFields_Returns422NamingThem()
    {
        var response = await api.CreateClient().PostAsync("/token", Form(("username", "admin")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("password", out _), errors.ToString());
    }

    [Fact]
    public async Task Token_JsonInsteadOfForm_IsRejectedWithoutServerError()
    {
        var response = await api.CreateClient().PostJsonAsync("/token", new { username = "admin", password = "x" });

        Assert.True((int)response.StatusCode is 415 or 422, $"got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task AccessToken_OnProtectedRoute_Authenticates()
    {
        var client = await api.LoginAsAdminAsync();

        var response = await client.GetAsync("/user/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RefreshToken_AsBearer_IsRejected()
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(api.CreateClient(), "admin", DundieApiFactory.AdminPassword);
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.RefreshToken);

        var response = await client.GetAsync("/user/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task NoToken_OnProtectedRoute_Returns401()
    {
        var response = await api.CreateClient().GetAsync("/user/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TamperedToken_Returns401()
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(api.CreateClient(), "admin", DundieApiFactory.AdminPassword);
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken[..^4] + "AAAA");

        var response = await client.GetAsync("/user/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RefreshEndpoint_RefreshToken_IssuesNewWorkingAccessToken()
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(api.CreateClient(), "admin", DundieApiFactory.AdminPassword);

        var response = await api.CreateClient().PostJsonAsync("/refresh_token", new { refresh_token = tokens.RefreshToken });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var renewed = await response.ReadAsync<TokenPair>();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", renewed.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/user/")).StatusCode);
    }

    [Fact]
    public async Task RefreshEndpoint_AccessToken_Returns401()
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(api.CreateClient(), "admin", DundieApiFactory.AdminPassword);

        var response = await api.CreateClient().PostJsonAsync("/refresh_token", new { refresh_token = tokens.AccessToken });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RefreshEndpoint_MissingToken_Returns422()
    {
        var response = await api.CreateClient().PostJsonAsync("/refresh_token", new { });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("refresh_token", out _));
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
