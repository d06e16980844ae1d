using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TaskQueue.Faults.Tests.Support;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests;

/// <summary><c>dundie up</c> (API, embedded broker and worker in one process) SIGKILLed as soon as it accepted
/// <c>POST /notifications/balance/</c> for every user, then started again on the same data folder: every user's
/// e-mail is sent at least once (counted in <c>email.log</c>, where <c>up</c>'s debug mode writes them).</summary>
/// <remarks>Drives <c>dundie</c> only through its documented commands, settings and endpoints: a password on the
/// embedded broker or tighter file modes change nothing here as long as <c>up</c> still starts with no settings.</remarks>
public sealed partial class DundieUpKillTests : IAsyncDisposable
{
    private const string AdminPassword = "admin-faults-password";
    private static readonly int Users = FaultScale.Pick(200, 1_000);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly string folder = Directory.CreateTempSubdirectory("taskq-faults-dundie-").FullName;
    private readonly string baseUrl = $"http://127.0.0.1:{RedisServer.FreePort()}";
    private readonly Dictionary<string, string> environment = new()
    {
        // Ports of its own; everything else as `dundie up` has it by default.
        ["DUNDIE_REDIS__PORT"] = RedisServer.FreePort().ToString(),
        ["DUNDIE_ADMIN__PASSWORD"] = AdminPassword,
        ["DUNDIE_SECURITY__BCRYPT_WORK_FACTOR"] = "4",
    };

    private readonly List<ChildProcess> processes = [];

    [Fact(Timeout = 600_000)]
    public async Task DundieUp_KilledRightAfterAcceptingBalanceNotifications_EveryUserGetsTheirEmailAfterRestart()
    {
        var up = await StartAsync();
        using var admin = await LoginAsync();
        var emails = await CreateUsersAsync(admin);

        var response = await admin.PostAsync("/notifications/balance/", null);
        up.Kill();
        var sentBeforeKill = Recipients().Count;
        await up.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32();
        Assert.Equal(emails.Count + 1, queued);

        var clock = Stopwatch.StartNew();
        await StartAsync();
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(emails.All(Recipients().ContainsKey)), $"an e-mail to each of {emails.Count} users", Deadline);
        }
        catch (TimeoutException)
        {
            // Reported below with the count.
        }
        var received = Recipients();
        var missed = emails.Where(e => !received.ContainsKey(e)).ToList();
        var duplicates = received.Values.Sum(n => n - 1);

        Figures.Report("dundie up SIGKILLed after POST /notifications/balance/",
            $"{emails.Count} users, {sentBeforeKill} e-mails sent before the kill, restarted on the same data folder: " +
            $"users without an e-mail {missed.Count}, duplicate e-mails {duplicates}, all sent {Figures.Seconds(clock.Elapsed)} after the restart began");
        Assert.True(missed.Count == 0,
            $"{missed.Count} of {emails.Count} users never got their e-mail after the restart ({sentBeforeKill} were sent before the kill): " +
            string.Join(", ", missed.Take(10)));
    }

    /// <summary>Recipients in <c>email.log</c>, with how many messages each got.</summary>
    private Dictionary<string, int> Recipients()
    {
        var log = Path.Combine(folder, "email.log");
        if (!File.Exists(log)) return [];
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var text = new StreamReader(stream).ReadToEnd();
        return ToLine().Matches(text).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count());
    }

    [GeneratedRegex(@"^To: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex ToLine();

    private async Task<List<string>> CreateUsersAsync(HttpClient admin)
    {
        var emails = Enumerable.Range(0, Users).Select(i => $"fault{i:0000}@dundie.test").ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, Users), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var created = await admin.PostAsJsonAsync("/user/",
                new { name = $"Fault User {i}", email = emails[i], dept = "sales", password = "fault-password-1", username = $"fault-{i:0000}" }, ct);
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST /user/ {i}: {created.StatusCode} {await created.Content.ReadAsStringAsync(ct)}");
        });
        return emails;
    }

    private async Task<ChildProcess> StartAsync()
    {
        var up = ChildProcess.Start("dundie up", "dotnet", [Path.Combine(AppContext.BaseDirectory, "dundie.dll"), "up", "--urls", baseUrl],
            new Dictionary<string, string>(environment) { ["NO_COLOR"] = "1" }, folder);
        processes.Add(up);
        await up.WaitForOutputAsync("Dundie is up.", TimeSpan.FromSeconds(90));
        return up;
    }

    private async Task<HttpClient> LoginAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var response = await client.PostAsync("/token", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["username"] = "admin", ["password"] = AdminPassword }));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"--- {process}, exit {process.ExitCode}:\n{process.Output.Tail()}");
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
