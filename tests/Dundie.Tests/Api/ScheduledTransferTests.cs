using System.Net;
using Dundie.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Jobs;
using TaskQueue.Queues;

namespace Dundie.Tests.Api;

/// <summary>Transfers with <c>at</c>: a scheduled job, applied by a real worker's scheduler when due.</summary>
public sealed class ScheduledTransferTests(PasswordResetTests.WorkerApi api) : IClassFixture<PasswordResetTests.WorkerApi>
{
    [Fact]
    public async Task Give_WithAt_Returns202AndAppliesWhenDue()
    {
        await api.CreateUserAsync("Later Sender", username: "later-sender");
        await api.CreateUserAsync("Later Receiver", username: "later-receiver");
        await api.GiveFromAdminAsync("later-sender", 40);
        var sender = await api.LoginAsync("later-sender");
        var at = DateTimeOffset.UtcNow.AddSeconds(2);

        var response = await sender.PostJsonAsync("/transaction/later-receiver/", new { value = 25, at });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await response.ReadJsonAsync()).GetProperty("job_id").GetString()!;
        var job = api.Services.GetRequiredService<TaskQueueClient>().Job(jobId);
        Assert.Equal(JobStatus.Scheduled, await job.GetStatusAsync());
        Assert.Equal(0, await api.BalanceOfAsync("later-receiver"));

        var info = await job.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Finished, info.Status);
        // RQ scores scheduled jobs in whole seconds, so a job may run up to a second before its exact time.
        Assert.True(info.EndedAt >= at.AddSeconds(-1), $"ended {info.EndedAt:O}, due {at:O}");
        Assert.Equal(15, await api.BalanceOfAsync("later-sender"));
        Assert.Equal(25, await api.BalanceOfAsync("later-receiver"));
    }

    [Fact]
    public async Task Give_WithAt_BalanceCheckedWhenApplied_FailsJobWithReason()
    {
        await api.CreateUserAsync("Spender Early", username: "spender");
        await api.CreateUserAsync("Spender Target", username: "spender-target");
        await api.GiveFromAdminAsync("spender", 10);
        var spender = await api.LoginAsync("spender");

        var scheduled = await spender.PostJsonAsync("/transaction/spender-target/", new { value = 10, at = DateTimeOffset.UtcNow.AddSeconds(2) });
        // Spend the points now, before the scheduled transfer is due.
        var now = await spender.PostJsonAsync("/transaction/spender-target/", new { value = 10 });

        Assert.Equal(HttpStatusCode.Accepted, scheduled.StatusCode);
        Assert.Equal(HttpStatusCode.Created, now.StatusCode);
        var jobId = (await scheduled.ReadJsonAsync()).GetProperty("job_id").GetString()!;
        var info = await api.Services.GetRequiredService<TaskQueueClient>().Job(jobId).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Failed, info.Status);
        Assert.Contains("Insufficient balance", info.ExcInfo);
        Assert.Equal(0, await api.BalanceOfAsync("spender"));
    }

    [Fact]
    public async Task Give_WithAtToUnknownUser_Returns404WithoutJob()
    {
        var admin = await api.LoginAsAdminAsync();

        var response = await admin.PostJsonAsync("/transaction/ghost-user/", new { value = 5, at = DateTimeOffset.UtcNow.AddMinutes(5) });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
