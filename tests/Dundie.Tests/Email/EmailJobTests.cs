using TaskQueue.TestSupport;
using System.Net;
using Dundie.Tests.Api;
using Dundie.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Jobs;
using TaskQueue.Monitoring;
using TaskQueue.Queues;
using TaskQueue.Storage;

namespace Dundie.Tests.Email;

/// <summary>Password-reset e-mail through the queue, a real worker and a real SMTP server.</summary>
public sealed class EmailJobTests(EmailJobTests.SmtpApi api) : IClassFixture<EmailJobTests.SmtpApi>
{
    [Fact]
    public async Task PwdReset_SmtpMode_WorkerDeliversLinkToServer()
    {
        await api.Smtp.WaitUntilListeningAsync();
        await api.CreateUserAsync("Smtp User", email: "smtp.user@dm.com", username: "smtp-user");

        var response = await api.CreateClient().PostJsonAsync("/user/pwd_reset_token/", new { email = "smtp.user@dm.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await Eventually.ReturnsAsync(
            () => Task.FromResult(api.Smtp.Messages.FirstOrDefault(m => m.To.Mailboxes.Any(t => t.Address == "smtp.user@dm.com"))), value => value is not null,
            "the reset e-mail at the SMTP server");
        Assert.Equal("Password reset for Dundie", message!.Subject);
        Assert.Contains("http://dundie.test/reset?pwd_reset_token=", message.TextBody);
        Assert.Contains("\"smtp-user\"", message.TextBody);
        Assert.Equal("", api.ReadEmailLog());
    }

    public sealed class SmtpApi : DundieApiFactory
    {
        public SmtpApi(TestBroker broker)
            : base(broker)
        {
            Smtp = new TestSmtpServer();
            WithWorker()
                .With("EMAIL:DEBUG_MODE", "false")
                .With("EMAIL:SMTP_SERVER", "127.0.0.1")
                .With("EMAIL:SMTP_PORT", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .With("EMAIL:SMTP_TLS", "None")
                .With("SECURITY:PWD_RESET_URL", "http://dundie.test/reset");
        }

        public TestSmtpServer Smtp { get; }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }
}

/// <summary>An unreachable SMTP server fails the job with the reason, after the configured retries.</summary>
public sealed class EmailJobFailureTests(EmailJobFailureTests.DeadSmtpApi api) : IClassFixture<EmailJobFailureTests.DeadSmtpApi>
{
    [Fact]
    public async Task SendEmail_SmtpUnreachable_JobFailsWithReasonAfterRetries()
    {
        var client = api.Services.GetRequiredService<TaskQueueClient>();
        var job = await client.Queue().EnqueueAsync(
            "dundie.tasks.user.send_email",
            kwargs: new Dictionary<string, object?> { ["email"] = "x@dm.com", ["message"] = "Subject: Hi\n\nHello" },
            options: new EnqueueOptions { Retry = new Retry(1) });

        var info = await job.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Failed, info.Status);
        Assert.Contains($"Cannot reach SMTP server 127.0.0.1:{api.DeadPort}", info.ExcInfo);
        Assert.Equal(0, info.RetriesLeft);
    }

    [Fact]
    public async Task PwdResetRequest_EnqueuesWithRetryPolicyFromSettings()
    {
        await api.CreateClient().PostJsonAsync("/user/pwd_reset_token/", new { email = "retry@dm.com" });

        var monitor = api.Services.GetRequiredService<QueueMonitor>();
        var client = api.Services.GetRequiredService<TaskQueueClient>();
        var reset = await Eventually.ReturnsAsync(async () =>
        {
            var finished = await monitor.GetRegistryAsync("default", Registry.Finished);
            var infos = await Task.WhenAll(finished.Select(id => client.Job(id).GetInfoAsync()));
            return infos.FirstOrDefault(i => i?.Call?.TaskName == "dundie.tasks.user.try_to_send_pwd_reset_email");
        }, value => value is not null, "the finished reset job");
        // Two retries from settings; the task finds no user, so it finishes without spending them.
        Assert.Equal(2, reset!.RetriesLeft);
    }

    public sealed class DeadSmtpApi : DundieApiFactory
    {
        public DeadSmtpApi(TestBroker broker)
            : base(broker)
        {
            DeadPort = TestSmtpServer.FreePort();
            WithWorker()
                .With("EMAIL:DEBUG_MODE", "false")
                .With("EMAIL:SMTP_SERVER", "127.0.0.1")
                .With("EMAIL:SMTP_PORT", DeadPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .With("EMAIL:SEND_RETRIES", "2")
                .With("EMAIL:SEND_RETRY_BACKOFF", "00:00:00");
        }

        public int DeadPort { get; }
    }
}
