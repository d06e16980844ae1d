using Dundie.Email;
using Dundie.Settings;
using Dundie.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Dundie.Tests.Email;

/// <summary>The MailKit sender against a real SMTP server.</summary>
public sealed class SmtpEmailSenderTests
{
    [Fact]
    public async Task Send_ServerAccepts_DeliversFromToSubjectAndBody()
    {
        await using var smtp = new TestSmtpServer();
        await smtp.WaitUntilListeningAsync();

        await Sender(smtp.Port).SendAsync(new EmailMessage("jim@dm.com", "Password reset for Dundie", "Use this link"));

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("dundie@dm.com", message.From.Mailboxes.Single().Address);
        Assert.Equal("jim@dm.com", message.To.Mailboxes.Single().Address);
        Assert.Equal("Password reset for Dundie", message.Subject);
        Assert.Equal("Use this link", message.TextBody?.Trim());
    }

    [Fact]
    public async Task Send_NothingListening_ThrowsCannotReach()
    {
        var port = TestSmtpServer.FreePort();

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => Sender(port).SendAsync(new EmailMessage("jim@dm.com", "s", "b")));

        Assert.StartsWith($"Cannot reach SMTP server 127.0.0.1:{port}", error.Message);
    }

    [Fact]
    public async Task Send_RecipientRefused_ThrowsRefusedWithCode()
    {
        await using var smtp = new TestSmtpServer(refusedDomain: "blocked.com");
        await smtp.WaitUntilListeningAsync();

        var error = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => Sender(smtp.Port).SendAsync(new EmailMessage("x@blocked.com", "s", "b")));

        Assert.Contains("refused the message to x@blocked.com", error.Message);
        Assert.Empty(smtp.Messages);
    }

    private static SmtpEmailSender Sender(int port) => new(Options.Create(new EmailOptions
    {
        DebugMode = false,
        SmtpServer = "127.0.0.1",
        SmtpPort = port,
        SmtpSender = "dundie@dm.com",
        SmtpTls = MailKit.Security.SecureSocketOptions.None,
        SmtpTimeout = TimeSpan.FromSeconds(10),
    }));
}
