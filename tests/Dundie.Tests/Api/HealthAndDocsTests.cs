using TaskQueue.TestSupport;
using System.Net;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

public sealed class HealthAndDocsTests(DundieApiFactory api) : IClassFixture<DundieApiFactory>
{
    [Fact]
    public async Task Health_DatabaseAndBrokerUp_Returns200WithEachCheck()
    {
        var response = await api.CreateClient().GetAsync("/health");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryFeature()
    {
        var document = await (await api.CreateClient().GetAsync("/openapi.json")).ReadJsonAsync();

        var paths = document.GetProperty("paths");
        // Routes are declared with the course's trailing slashes; the document lists them without.
        foreach (var path in new[] { "/token", "/refresh_token", "/user", "/user/{username}", "/user/pwd_reset_token",
                     "/user/{username}/password", "/transaction", "/transaction/{username}", "/notifications/balance" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        }
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
    }

    [Theory]
    [InlineData("/user")]
    [InlineData("/user/")]
    [InlineData("/user/admin")]
    [InlineData("/user/admin/")]
    public async Task Routes_WithOrWithoutTrailingSlash_Match(string path)
    {
        var response = await (await api.LoginAsAdminAsync()).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Docs_ServesScalarPage()
    {
        var response = await api.CreateClient().GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi.json", await response.Content.ReadAsStringAsync());
    }
}

public sealed class HealthBrokerDownTests(HealthBrokerDownTests.Api api) : IClassFixture<HealthBrokerDownTests.Api>
{
    [Fact]
    public async Task Health_BrokerUnreachable_Returns503()
    {
        var response = await api.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = (await response.ReadJsonAsync()).GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task PwdReset_BrokerUnreachable_Returns503()
    {
        var response = await api.CreateClient().PostJsonAsync("/user/pwd_reset_token/", new { email = "someone@dm.com" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Transfers_BrokerUnreachable_StillWork()
    {
        await api.CreateUserAsync("Offline Receiver", username: "offline");
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/transaction/offline/", new { value = 3 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public sealed class Api : DundieApiFactory
    {
        // Port 1 on loopback: nothing listens there, so connecting fails at once.
        public Api(TestBroker broker)
            : base(broker) => With("REDIS:URL", "redis://127.0.0.1:1");
    }
}
