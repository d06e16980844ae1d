namespace Dundie.Email;

/// <summary>Sends e-mail: through SMTP, or into the debug log file.</summary>
public interface IEmailSender
{
    /// <summary>Sends the message.</summary>
    /// <exception cref="EmailDeliveryException">The server refused the message or could not be reached.</exception>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
