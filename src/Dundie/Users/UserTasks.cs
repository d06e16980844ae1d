using Dundie.Email;
using Dundie.Settings;
using Microsoft.Extensions.Options;
using TaskQueue.Tasks;

namespace Dundie.Users;

/// <summary>The user tasks workers run: plain e-mail and password-reset e-mail.</summary>
public sealed partial class UserTasks(
    UserAccounts accounts, PasswordResetTokens resetTokens, IEmailSender sender, IOptions<SecurityOptions> security,
    ILogger<UserTasks> logger)
{
    public const string SendEmailTask = "dundie.tasks.user.send_email";
    public const string TryToSendPwdResetEmailTask = "dundie.tasks.user.try_to_send_pwd_reset_email";

    /// <summary>The subject of password-reset e-mail.</summary>
    public const string PasswordResetSubject = "Password reset for Dundie";

    /// <summary>Sends <paramref name="message"/> to <paramref name="email"/>; a <c>Subject:</c> header line in it becomes the subject.</summary>
    [Task(SendEmailTask)]
    public Task SendEmail(string email, string message, CancellationToken cancellationToken) =>
        sender.SendAsync(EmailMessage.FromText(email, message), cancellationToken);

    /// <summary>Sends a password-reset link when a user has this e-mail; returns whether one was sent.</summary>
    /// <remarks>
    /// The API enqueues this for every request without looking the address up, so its answer takes the same time
    /// whether or not the user exists; the lookup happens here, out of the caller's sight.
    /// </remarks>
    [Task(TryToSendPwdResetEmailTask)]
    public async Task<bool> TryToSendPwdResetEmail(string email, CancellationToken cancellationToken)
    {
        var user = await accounts.FindByEmailAsync(email, cancellationToken);
        if (user is null)
        {
            Log.NoUserForReset(logger);
            return false;
        }
        var token = await resetTokens.IssueAsync(user, cancellationToken);
        var settings = security.Value;
        var body =
            $"""
            Hello {user.Name},

            Please use the following link to reset the password of your Dundie user "{user.Username}":
            {settings.PwdResetUrl}?pwd_reset_token={Uri.EscapeDataString(token)}

            This link will expire in {Describe(settings.PwdResetTokenLifetime)} and works once.
            If you did not ask for it, ignore this message.
            """;
        await sender.SendAsync(new EmailMessage(user.Email, PasswordResetSubject, body), cancellationToken);
        return true;
    }

    private static string Describe(TimeSpan lifetime) => lifetime < TimeSpan.FromMinutes(1)
        ? $"{lifetime.TotalSeconds:0} seconds"
        : $"{lifetime.TotalMinutes:0} minutes";

    private static partial class Log
    {
        // The address itself is not logged: whether an address has an account is what this flow hides.
        [LoggerMessage(Level = LogLevel.Information, Message = "Password reset asked for an address with no user; nothing sent")]
        public static partial void NoUserForReset(ILogger logger);
    }
}
