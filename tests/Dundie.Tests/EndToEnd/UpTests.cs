using TaskQueue.TestSupport;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.EndToEnd;

/// <summary><c>dundie up</c>: API, embedded broker and worker in one process, with nothing configured but ports.</summary>
public sealed class UpTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempFolder folder = new();
    private readonly string baseUrl = $"http://127.0.0.1:{TestSmtpServer.FreePort()}";
    private readonly Dictionary<string, string> environment;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private DundieProcess? up;

    public UpTests()
    {
        http.BaseAddress = new Uri(baseUrl);
        environment = new()
        {
            // A port of its own for the embedded broker; everything else is the defaults.
            ["DUNDIE_REDIS__PORT"] = TestSmtpServer.FreePort().ToString(CultureInfo.InvariantCulture),
            ["DUNDIE_ADMIN__PASSWORD"] = "admin-up-password",
            ["DUNDIE_SECURITY__BCRYPT_WORK_FACTOR"] = "4",
        };
    }

    [Fact]
    public async Task Up_ScheduledTransferSurvivesRestart_AppliedAfterwards()
    {
        await StartAsync();
        var admin = await LoginAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync(
            "/user/", new { name = "Meredith Palmer", email = "meredith@dm.com", dept = "sales", password = "supplier-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostJsonAsync(
            "/transaction/meredith-palmer/", new { value = 9, at = DateTimeOffset.UtcNow.AddSeconds(5) })).StatusCode);

        // Stop before it is due: the job must come back from the broker's log in the data folder.
        await StopAsync();
        await StartAsync();

        var restarted = await LoginAsync();
        await Eventually.HoldsAsync(async () =>
        {
            var page = await (await restarted.GetAsync("/transaction/?user=meredith-palmer")).ReadJsonAsync();
            return page.GetProperty("total").GetInt32() == 1;
        }, "the scheduled transfer after the restart", Deadline);
        Assert.True(File.Exists(Path.Combine(folder.Path, ".dundie", "secret.key")));
        Assert.True(File.Exists(Path.Combine(folder.Path, ".dundie", "dundie.db")));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        http.Dispose();
        folder.Dispose();
    }

    private async Task StartAsync()
    {
        up = DundieProcess.Start(folder.Path, environment, null, "up", "--urls", baseUrl);
        await Eventually.HoldsAsync(async () =>
        {
            Assert.False(up.HasExited, $"dundie up exited early:\n{up.Output}\n{up.Error}");
            return up.Output.Contains("Dundie is up.");
        }, "dundie up to start", Deadline);
    }

    private async Task StopAsync()
    {
        if (up is null)
        {
            return;
        }
        up.Terminate();
        try
        {
            await up.WaitForExitAsync(Deadline);
            Assert.True(up.ExitCode == 0, up.Error);
        }
        finally
        {
            await up.DisposeAsync();
            up = null;
        }
    }

    private async Task<HttpClient> LoginAsync()
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(http, "admin", "admin-up-password");
        var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = http.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }
}
