using TaskQueue.TestSupport;
using System.Net;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.Api;

/// <summary>Start-up refuses a missing or short signing key outside development, and generates one in development.</summary>
public sealed class SigningKeyTests(TestBroker broker)
{
    [Theory]
    [InlineData("")]
    [InlineData("too-short-key")]
    public void Start_ProductionWithoutUsableKey_Fails(string key)
    {
        using var api = new DundieApiFactory(broker)
            .With("environment", "Production")
            .With("SECURITY:SECRET_KEY", key);

        // WebApplicationFactory reports a failed start as a disposed service provider; the message the user sees
        // is checked on the real process in CommandLineTests.
        Assert.ThrowsAny<Exception>(() => api.CreateClient());
    }

    [Fact]
    public async Task Start_ProductionWithLongKey_Serves()
    {
        await using var api = new DundieApiFactory(broker).With("environment", "Production");

        var response = await api.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_DevelopmentWithoutKey_GeneratesPrivateKeyFileAndKeepsIt()
    {
        await using var api = new DundieApiFactory(broker).With("SECURITY:SECRET_KEY", "");

        var client = await api.LoginAsAdminAsync();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/user/")).StatusCode);
        var keyFile = Path.Combine(Path.GetDirectoryName(api.EmailLog)!, "data", "secret.key");
        Assert.True(File.ReadAllText(keyFile).Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }
}
