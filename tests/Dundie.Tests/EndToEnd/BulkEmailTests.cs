using System.Diagnostics;
using System.Net;
using Dundie.Data;
using Dundie.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.TestSupport;

namespace Dundie.Tests.EndToEnd;

/// <summary>Issue #3: a balance e-mail to each of thousands of users, sent over SMTP by separate <c>dundie worker</c>
/// processes, counted per recipient at the test's SMTP server, also when a worker is SIGKILLed mid-way.</summary>
/// <remarks>The two tests run one after the other (one class), each on a deployment of its own: on a two-core machine
/// shared with builds, two bulk sends at once would only make both slower.</remarks>
public sealed class BulkEmailTests(TestBroker broker, ITestOutputHelper output) : IAsyncLifetime
{
    private const int UserCount = 2000;
    private const string Concurrency = "8";
    private static readonly TimeSpan SendDeadline = TimeSpan.FromSeconds(90);

    /// <summary>The hard bound of each test (ms); the waits inside have deadlines of their own that fail first, with details.</summary>
    private const int TestTimeout = 180_000;
    private readonly DundieDeployment deployment = new(broker);
    private readonly TestSmtpServer smtp = new();
    private IReadOnlySet<string> recipients = new HashSet<string>();

    public async ValueTask InitializeAsync()
    {
        try
        {
            await smtp.WaitUntilListeningAsync();
            await deployment.StartApiAsync();
            await deployment.AddUsersAsync(UserCount, "bulk.dm.com");
            await using var scope = deployment.Services.CreateAsyncScope();
            // Everyone gets one, admin included.
            recipients = (await scope.ServiceProvider.GetRequiredService<DundieDb>().Users.Select(u => u.Email).ToListAsync()).ToHashSet();
        }
        catch
        {
            // xUnit does not dispose a test class whose initialization failed.
            await DisposeAsync();
            throw;
        }
    }

    [Fact(Timeout = TestTimeout)]
    public async Task NotifyBalances_2000Users_EveryMessageArrivesExactlyOnce()
    {
        var worker = await deployment.StartWorkerAsync(smtp.Port, "--concurrency", Concurrency);
        var clock = Stopwatch.StartNew();

        await NotifyEveryoneAsync();

        await WaitUntilEveryoneHasAMessageAsync(worker);
        var counts = await deployment.WaitUntilQueueDrainedAsync(SendDeadline);
        output.WriteLine($"{recipients.Count} messages arrived in {clock.Elapsed.TotalSeconds:0.0} s " +
                         $"({recipients.Count / clock.Elapsed.TotalSeconds:0} per second, concurrency {Concurrency})");
        var received = smtp.CountByRecipient();
        Assert.Equal(0, counts.Failed);
        Assert.Empty(received.Keys.Except(recipients));
        var repeated = received.Where(r => r.Value != 1).Select(r => $"{r.Key}: {r.Value}").ToList();
        Assert.True(repeated.Count == 0, $"{repeated.Count} recipients got more than one message: {string.Join(", ", repeated.Take(10))}");
    }

    [Fact(Timeout = TestTimeout)]
    public async Task NotifyBalances_WorkerKilledMidSend_NewWorkerDeliversToEveryUser()
    {
        // A short heartbeat: the dead worker's leases (1.5 of its heartbeats) expire, and the new worker sweeps, within seconds.
        var first = await deployment.StartWorkerAsync(smtp.Port, "--concurrency", Concurrency, "--heartbeat", "1s");
        await NotifyEveryoneAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(smtp.Messages.Count >= 200), "the first 200 messages", SendDeadline);

        // Kill while messages are mid-delivery: the server holds the ones arriving now unanswered, as a slow server would.
        smtp.Hold();
        await Eventually.HoldsAsync(() => Task.FromResult(smtp.Held > 0), "a message in flight", TimeSpan.FromSeconds(30));
        first.Kill();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var (arrivedBeforeKill, inFlightAtKill) = (smtp.Messages.Count, smtp.Held);
        Assert.True(arrivedBeforeKill < recipients.Count, $"all {arrivedBeforeKill} messages arrived before the kill: nothing left to test");
        smtp.Release();
        var second = await deployment.StartWorkerAsync(smtp.Port, "--concurrency", Concurrency, "--heartbeat", "1s");

        await WaitUntilEveryoneHasAMessageAsync(second);
        // The dead worker's jobs stay started until a live worker re-queues them: a drained queue is the proof.
        var counts = await deployment.WaitUntilQueueDrainedAsync(SendDeadline);
        var received = smtp.CountByRecipient();
        var duplicates = received.Values.Sum(n => n - 1);
        var rescued = second.Output.Split('\n').Count(line => line.Contains("was abandoned by its worker; re-queued"));
        output.WriteLine($"SIGKILL after {arrivedBeforeKill} of {recipients.Count} messages, {inFlightAtKill} held in flight; " +
                         $"the new worker re-queued {rescued} abandoned job(s); {duplicates} duplicate message(s) " +
                         $"to {received.Count(r => r.Value > 1)} recipient(s)");
        var missed = recipients.Where(r => !received.ContainsKey(r)).ToList();
        Assert.True(missed.Count == 0, $"{missed.Count} users got no message: {string.Join(", ", missed.Take(10))}");
        Assert.Equal(0, counts.Failed);
    }

    public async ValueTask DisposeAsync()
    {
        await deployment.DisposeAsync();
        await smtp.DisposeAsync();
    }

    private async Task NotifyEveryoneAsync()
    {
        using var admin = await deployment.LoginAsAdminAsync();
        var response = await admin.PostAsync("/notifications/balance/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(recipients.Count, (await response.ReadJsonAsync()).GetProperty("count").GetInt32());
    }

    private async Task WaitUntilEveryoneHasAMessageAsync(DundieProcess worker)
    {
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(smtp.CountByRecipient().Count >= recipients.Count),
                $"a message to each of {recipients.Count} users", SendDeadline);
        }
        catch (TimeoutException e)
        {
            var counts = await deployment.Queue.GetCountsAsync();
            throw new TimeoutException($"{recipients.Count - smtp.CountByRecipient().Count} users still have no message " +
                $"({counts}); the worker's output:\n{worker.Output}\n{worker.Error}", e);
        }
    }
}
