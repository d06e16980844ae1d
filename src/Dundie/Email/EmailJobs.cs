using Dundie.Settings;
using Dundie.Users;
using Microsoft.Extensions.Options;

using TaskQueue.Jobs;

namespace Dundie.Email;

/// <summary>Builds the jobs that send e-mail, with the retry policy from settings.</summary>
/// <remarks>
/// An SMTP server that is briefly down should not lose a password-reset mail, so these jobs are retried with
/// exponential backoff (<c>DUNDIE_EMAIL__SEND_RETRIES</c>, <c>DUNDIE_EMAIL__SEND_RETRY_BACKOFF</c>).
/// </remarks>
public sealed class EmailJobs(IOptions<EmailOptions> options)
{
    /// <summary>A <c>dundie.tasks.user.send_email(email, message)</c> job.</summary>
    public JobRequest SendEmail(string email, string message) => JobRequest.Create(
        UserTasks.SendEmailTask,
        kwargs: new Dictionary<string, object?> { ["email"] = email, ["message"] = message },
        options: WithRetry());

    /// <summary>A <c>dundie.tasks.user.try_to_send_pwd_reset_email(email)</c> job.</summary>
    public JobRequest PasswordReset(string email) => JobRequest.Create(
        UserTasks.TryToSendPwdResetEmailTask,
        kwargs: new Dictionary<string, object?> { ["email"] = email },
        options: WithRetry());

    private EnqueueOptions WithRetry()
    {
        var settings = options.Value;
        return settings.SendRetries > 0
            ? new EnqueueOptions { Retry = Retry.Exponential(settings.SendRetries, settings.SendRetryBackoff) }
            : new EnqueueOptions();
    }
}
