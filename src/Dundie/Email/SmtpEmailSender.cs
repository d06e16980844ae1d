using System.Diagnostics;
using System.Net.Sockets;
using Dundie.Hosting;
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
        // A client span for the whole exchange, so a trace shows where a job's time went; null when nothing listens.
        using var span = DundieTelemetry.Source.StartActivity("smtp send", ActivityKind.Client);
        span?.SetTag("server.address", settings.SmtpServer);
        span?.SetTag("server.port", settings.SmtpPort);
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
        catch (Exception e) when (span is not null && Failed(span, e))
        {
            throw;
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

    /// <summary>Marks <paramref name="span"/> failed with the exception's type; false, so the exception goes on to be handled.</summary>
    /// <remarks>Not the message: a refusal names the recipient, and traces must not tell which addresses have accounts.</remarks>
    private static bool Failed(Activity span, Exception e)
    {
        span.SetStatus(ActivityStatusCode.Error);
        span.SetTag("error.type", e.GetType().FullName);
        return false;
    }
}
