using TaskQueue.TestSupport;
using System.Net;
using System.Text.RegularExpressions;
using Dundie.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Queues;

namespace Dundie.Tests.Api;

/// <summary>The whole reset flow: request, the queued task run by a real worker, the e-mail, the new password.</summary>
public sealed partial class PasswordResetTests : IClassFixture<PasswordResetTests.WorkerApi>
{
    private const string Answer = "If we found a user with that email, we sent a password reset token to it.";
    private readonly DundieApiFactory api;

    public PasswordResetTests(WorkerApi api) => this.api = api;

    [Fact]
    public async Task Request_KnownEmail_SendsLinkThatResetsPasswordOnce()
    {
        await api.CreateUserAsync("Kevin Reset", email: "kevin.reset@dm.com", username: "kevin-reset");
        var anonymous = api.CreateClient();

        var response = await anonymous.PostJsonAsync("/user/pwd_reset_token/", new { email = "Kevin.Reset@dm.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Answer, (await response.ReadJsonAsync()).GetProperty("message").GetString());
        var token = await Eventually.ReturnsAsync(
            () => Task.FromResult(TokenSentTo("kevin.reset@dm.com")), value => value is not null, "the reset e-mail");
        Assert.Contains("Subject: Password reset for Dundie", api.ReadEmailLog());

        var change = await anonymous.PostJsonAsync(
            $"/user/kevin-reset/password/?pwd_reset_token={Uri.EscapeDataString(token!)}",
            new { password = "chili-recipe-1", password_confirm = "chili-recipe-1" });
        var again = await anonymous.PostJsonAsync(
            $"/user/kevin-reset/password/?pwd_reset_token={Uri.EscapeDataString(token!)}",
            new { password = "chili-recipe-2", password_confirm = "chili-recipe-2" });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        await api.LoginAsync("kevin-reset", "chili-recipe-1");
    }

    [Fact]
    public async Task Request_UnknownEmail_SameAnswerAndTaskEndsQuietly()
    {
        var response = await api.CreateClient().PostJsonAsync("/user/pwd_reset_token/", new { email = "nobody@nowhere.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Answer, (await response.ReadJsonAsync()).GetProperty("message").GetString());
        // The task ran, found no one, and finished (not failed) with false.
        var queue = api.Services.GetRequiredService<TaskQueueClient>().Queue();
        var counts = await Eventually.ReturnsAsync(async () =>
        {
            var c = await queue.GetCountsAsync();
            return c.Queued == 0 && c.Started == 0 ? c : null;
        }, value => value is not null, "the queue to drain");
        Assert.Equal(0, counts!.Failed);
        Assert.DoesNotContain("nobody@nowhere.com", api.ReadEmailLog());
    }

    [Fact]
    public async Task Request_EnqueuesTheCourseTaskWithTheEmail()
    {
        await api.CreateClient().PostJsonAsync("/user/pwd_reset_token/", new { email = "who@dm.com" });

        var job = await Eventually.ReturnsAsync(async () =>
        {
            var ids = await api.Services.GetRequiredService<TaskQueue.Monitoring.QueueMonitor>()
                .GetRegistryAsync("default", TaskQueue.Storage.Registry.Finished);
            foreach (var id in ids)
            {
                var info = await api.Services.GetRequiredService<TaskQueueClient>().Job(id).GetInfoAsync();
                if (info?.Call?.Kwargs.Any(k => k.Key == "email" && k.Value.GetString() == "who@dm.com") == true)
                {
                    return info;
                }
            }
            return null;
        }, value => value is not null, "the finished job");
        Assert.Equal("dundie.tasks.user.try_to_send_pwd_reset_email", job!.Call!.TaskName);
        Assert.Equal("false", job.ResultJson);
    }

    [Fact]
    public async Task Request_MissingEmail_Returns422()
    {
        var response = await api.CreateClient().PostJsonAsync("/user/pwd_reset_token/", new { });

        await ValidationTests.AssertFieldError(response, "email");
    }

    private string? TokenSentTo(string email)
    {
        var log = api.ReadEmailLog();
        var at = log.IndexOf($"To: {email}", StringComparison.Ordinal);
        return at < 0 ? null : TokenPattern().Match(log, at) is { Success: true } match ? Uri.UnescapeDataString(match.Groups[1].Value) : null;
    }

    [GeneratedRegex(@"pwd_reset_token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex TokenPattern();

    /// <summary>The API with a worker in the same host.</summary>
    public sealed class WorkerApi : DundieApiFactory
    {
        public WorkerApi(TestBroker broker)
            : base(broker) => WithWorker();
    }
}
