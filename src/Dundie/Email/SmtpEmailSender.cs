using System.Net.Sockets;
using Dundie.Settings;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Dundie.Email;

/// <summary>Sends each message through the configured SMTP server with MailKit.</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress("Dundie", settings.SmtpSender));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart("plain") { Text = message.Body };

        var server = $"{settings.SmtpServer}:{settings.SmtpPort}";
        using var client = new SmtpClient { Timeout = (int)settings.SmtpTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.SmtpServer, settings.SmtpPort, settings.SmtpTls, cancellationToken);
            if (!string.IsNullOrEmpty(settings.SmtpUser))
            {
                await client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
            }
            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new EmailDeliveryException($"Cannot reach SMTP server {server}: {e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            throw new EmailDeliveryException($"SMTP server {server} refused the login of {settings.SmtpUser}: {e.Message}", e);
        }
        catch (SmtpCommandException e)
        {
            throw new EmailDeliveryException(
                $"SMTP server {server} refused the message to {message.To}: {(int)e.StatusCode} {e.Message}", e);
        }
        catch (Exception e) when (e is SmtpProtocolException or SslHandshakeException or IOException or TimeoutException or ServiceNotConnectedException)
        {
            throw new EmailDeliveryException($"SMTP exchange with {server} failed: {e.Message}", e);
        }
    }
}
