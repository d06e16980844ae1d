using System.Net;
using System.Text.RegularExpressions;
using Dundie.Tests.Infrastructure;
using MimeKit;
using TaskQueue.TestSupport;

namespace Dundie.Tests.EndToEnd;

/// <summary>Issue #3: the password reset across separate processes with real e-mail. <c>dundie serve</c> takes the
/// request, <c>dundie worker</c> issues the token and sends it over SMTP (debug mode off) to the test's server.</summary>
public sealed partial class SmtpPasswordResetTests(SmtpPasswordResetTests.Deployment system)
    : IClassFixture<SmtpPasswordResetTests.Deployment>
{
    /// <summary>The token lifetime, set through configuration (<c>DUNDIE_SECURITY__PWD_RESET_TOKEN_EXPIRE</c>).</summary>
    /// <remarks>
    /// The worker that issues a token stamps its expiry, so the setting goes to every process. Long enough for the happy
    /// path on a loaded machine, short enough for the expiry test to wait it out.
    /// </remarks>
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly DundieDeployment deployment = system.Processes;
    private readonly TestSmtpServer smtp = system.Smtp;

    [Fact(Timeout = 120_000)]
    public async Task PasswordReset_TokenMailedOverSmtp_ResetsPasswordOnce()
    {
        await CreateUserAsync("Toby Flenderson", "toby@dm.com", "scranton-strangler");

        var request = await deployment.Http.PostJsonAsync("/user/pwd_reset_token/", new { email = "toby@dm.com" });

        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        var message = await MessageToAsync("toby@dm.com");
        Assert.Equal("Password reset for Dundie", message.Subject);
        Assert.Equal("dundie@dundermifflin.com", message.From.Mailboxes.Single().Address);
        Assert.False(File.Exists(deployment.Environment["DUNDIE_EMAIL__LOG_FILE"]), "debug mode is off: nothing goes to the log file");
        var token = TokenIn(message);

        var change = await ChangePasswordAsync("toby-flenderson", token, "new-toby-pass-1");
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        await DundieApiFactory.RequestTokensAsync(deployment.Http, "toby-flenderson", "new-toby-pass-1");

        var again = await ChangePasswordAsync("toby-flenderson", token, "new-toby-pass-2");
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        await DundieApiFactory.RequestTokensAsync(deployment.Http, "toby-flenderson", "new-toby-pass-1");
    }

    [Fact(Timeout = 120_000)]
    public async Task PasswordReset_TokenOlderThanLifetime_Forbidden()
    {
        await CreateUserAsync("Holly Flax", "holly@dm.com", "yoda-voice-1");

        await deployment.Http.PostJsonAsync("/user/pwd_reset_token/", new { email = "holly@dm.com" });
        var message = await MessageToAsync("holly@dm.com");
        var receivedAt = DateTimeOffset.UtcNow;
        var token = TokenIn(message);
        // The worker stamped the expiry before it sent the message, so it has passed for sure one lifetime after arrival.
        // A wait for a known instant, not a guess at how long something takes; the margin covers clock granularity.
        var expired = receivedAt + TokenLifetime + TimeSpan.FromMilliseconds(500);
        await Task.Delay(expired - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);

        var change = await ChangePasswordAsync("holly-flax", token, "never-applied-1");

        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        await DundieApiFactory.RequestTokensAsync(deployment.Http, "holly-flax", "yoda-voice-1");
    }

    private async Task CreateUserAsync(string name, string email, string password)
    {
        using var admin = await deployment.LoginAsAdminAsync();
        var created = await admin.PostJsonAsync("/user/", new { name, email, dept = "hr", password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private Task<HttpResponseMessage> ChangePasswordAsync(string username, string token, string password) =>
        deployment.Http.PostJsonAsync(
            $"/user/{username}/password/?pwd_reset_token={Uri.EscapeDataString(token)}",
            new { password, password_confirm = password });

    private async Task<MimeMessage> MessageToAsync(string email) => (await Eventually.ReturnsAsync(
        () => Task.FromResult(smtp.Messages.FirstOrDefault(m => m.To.Mailboxes.Any(to => to.Address == email))),
        message => message is not null, $"the reset e-mail to {email} at the SMTP server", Deadline))!;

    private static string TokenIn(MimeMessage message)
    {
        var match = TokenPattern().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"no reset link in:\n{message.TextBody}");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    [GeneratedRegex(@"pwd_reset_token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex TokenPattern();

    /// <summary><c>dundie serve</c> and one <c>dundie worker</c> for the class (the tests use users of their own), and the SMTP server.</summary>
    public sealed class Deployment(TestBroker broker) : IAsyncLifetime
    {
        public DundieDeployment Processes { get; } = new(broker, new Dictionary<string, string>
        {
            ["DUNDIE_SECURITY__PWD_RESET_TOKEN_EXPIRE"] = TokenLifetime.ToString("c"),
        });

        public TestSmtpServer Smtp { get; } = new();

        public async ValueTask InitializeAsync()
        {
            try
            {
                await Smtp.WaitUntilListeningAsync();
                // Side by side against an empty database, as a deployment starts them.
                await Task.WhenAll(Processes.StartApiAsync(), Processes.StartWorkerAsync(Smtp.Port));
            }
            catch
            {
                await DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Processes.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }
}
