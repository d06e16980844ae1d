using TaskQueue.TestSupport;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Dundie.Tests.Infrastructure;

namespace Dundie.Tests.EndToEnd;

/// <summary>The deployment shape of the course: <c>dundie serve</c> and <c>dundie worker</c> as separate processes
/// sharing a database and a broker, driven over HTTP.</summary>
public sealed partial class ServeAndWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempFolder folder = new();
    private readonly TestDatabase database;
    private readonly Dictionary<string, string> environment;
    private readonly string baseUrl = $"http://127.0.0.1:{TestSmtpServer.FreePort()}";
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private DundieProcess? api;
    private DundieProcess? worker;

    public ServeAndWorkerTests(TestBroker broker)
    {
        database = new TestDatabase(folder.Path);
        environment = new()
        {
            ["DUNDIE_DB__URI"] = database.Uri,
            ["DUNDIE_DATA__DIR"] = Path.Combine(folder.Path, "data"),
            ["DUNDIE_ADMIN__PASSWORD"] = "admin-e2e-password",
            ["DUNDIE_SECURITY__SECRET_KEY"] = "an-end-to-end-signing-key-of-enough-bytes",
            ["DUNDIE_SECURITY__BCRYPT_WORK_FACTOR"] = "4",
            ["DUNDIE_SECURITY__PWD_RESET_URL"] = "http://dundie.test/reset",
            ["DUNDIE_REDIS__URL"] = broker.Url,
            ["DUNDIE_REDIS__KEY_PREFIX"] = TestBroker.NewPrefix(),
            ["DUNDIE_EMAIL__LOG_FILE"] = Path.Combine(folder.Path, "email.log"),
        };
        http.BaseAddress = new Uri(baseUrl);
    }

    public async ValueTask InitializeAsync()
    {
        // Both start at once against an empty database: migrations and the admin user must survive the race.
        api = DundieProcess.Start(folder.Path, environment, null, "serve", "--urls", baseUrl);
        worker = DundieProcess.Start(folder.Path, environment, null, "worker", "--with-scheduler", "--concurrency", "4");
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                Assert.False(api.HasExited, $"dundie serve exited early:\n{api.Output}\n{api.Error}");
                Assert.False(worker.HasExited, $"dundie worker exited early:\n{worker.Output}\n{worker.Error}");
                try
                {
                    return (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "dundie serve to answer /health", Deadline);
            await Eventually.HoldsAsync(
                () => Task.FromResult(worker.Output.Contains("started with PID")), "dundie worker to start", Deadline);
        }
        catch
        {
            // xUnit does not dispose a test class whose initialization failed: the processes would outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task PasswordReset_ThroughSeparateWorker_ChangesPassword()
    {
        var request = await http.PostJsonAsync("/user/pwd_reset_token/", new { email = "admin@dundie.local" });
        Assert.Equal(HttpStatusCode.OK, request.StatusCode);

        var emailLog = environment["DUNDIE_EMAIL__LOG_FILE"];
        var token = await Eventually.ReturnsAsync(
            () => Task.FromResult(File.Exists(emailLog) && TokenPattern().Match(File.ReadAllText(emailLog)) is { Success: true } m
                ? Uri.UnescapeDataString(m.Groups[1].Value)
                : null), value => value is not null,
            "the worker to write the reset e-mail", Deadline);
        var change = await http.PostJsonAsync(
            $"/user/admin/password/?pwd_reset_token={Uri.EscapeDataString(token!)}",
            new { password = "reset-by-e2e", password_confirm = "reset-by-e2e" });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        await DundieApiFactory.RequestTokensAsync(http, "admin", "reset-by-e2e");
    }

    [Fact]
    public async Task ScheduledTransfer_AppliedByWorkerScheduler()
    {
        var admin = await LoginAsync("admin", "admin-e2e-password");
        var created = await admin.PostJsonAsync("/user/", new { name = "Stanley Hudson", email = "stanley@dm.com", dept = "sales", password = "pretzel-day" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var scheduled = await admin.PostJsonAsync("/transaction/stanley-hudson/", new { value = 12, at = DateTimeOffset.UtcNow.AddSeconds(2) });

        Assert.Equal(HttpStatusCode.Accepted, scheduled.StatusCode);
        await Eventually.HoldsAsync(async () =>
        {
            var page = await (await admin.GetAsync("/transaction/?user=stanley-hudson")).ReadJsonAsync();
            return page.GetProperty("total").GetInt32() == 1;
        }, "the scheduled transfer to be applied", Deadline);
    }

    [Fact]
    public async Task NotifyBalances_Command_WaitsUntilWorkerSentEveryEmail()
    {
        var result = await DundieProcess.RunAsync(folder.Path, environment, Deadline, null, "notify-balances");

        Assert.True(result.ExitCode == 0, $"{result.Output}\n{result.Error}");
        Assert.Contains("All 1 e-mails were sent.", result.Output);
        Assert.Contains("Your Dundie balance", File.ReadAllText(environment["DUNDIE_EMAIL__LOG_FILE"]));
    }

    [Fact]
    public async Task Sigterm_StopsBothProcessesCleanly()
    {
        api!.Terminate();
        worker!.Terminate();

        await api.WaitForExitAsync(Deadline);
        await worker.WaitForExitAsync(Deadline);

        Assert.True(api.ExitCode == 0, api.Error);
        Assert.True(worker.ExitCode == 0, worker.Error);
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        var processes = new[] { api, worker }.OfType<DundieProcess>().ToList();
        processes.ForEach(process => process.Terminate());
        try
        {
            // Each one is waited for (and killed when it hangs) even when the other did not stop in time.
            await Task.WhenAll(processes.Select(process => process.WaitForExitAsync(TimeSpan.FromSeconds(30))));
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
            database.Dispose();
            folder.Dispose();
        }
    }

    private async Task<HttpClient> LoginAsync(string username, string password)
    {
        var tokens = await DundieApiFactory.RequestTokensAsync(http, username, password);
        var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = http.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    [GeneratedRegex(@"pwd_reset_token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex TokenPattern();
}
