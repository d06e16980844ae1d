using Dundie.Settings;
using Microsoft.Extensions.Options;

namespace Dundie.Email;

/// <summary>Debug mode: appends each message to the e-mail log file instead of sending it, as the course does.</summary>
/// <remarks>A singleton: one lock keeps concurrent jobs of this process from interleaving their messages.</remarks>
public sealed class EmailLogSender(IOptions<EmailOptions> options, TimeProvider time) : IEmailSender
{
    private readonly SemaphoreSlim writing = new(1, 1);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var entry =
            $"""
            --- START EMAIL {time.GetUtcNow():O} ---
            From: {settings.SmtpSender}
            To: {message.To}
            Subject: {message.Subject}

            {message.Body}
            --- END OF EMAIL ---

            """;
        var path = Path.GetFullPath(settings.LogFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await writing.WaitAsync(cancellationToken);
        try
        {
            // One append of the whole entry: other processes writing the same file do not split it.
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(entry.ReplaceLineEndings("\n")), cancellationToken);
        }
        finally
        {
            writing.Release();
        }
    }
}
