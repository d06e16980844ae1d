using Dundie.Users;
using TaskQueue.Tasks;
using TaskQueue.Jobs;

namespace Dundie.Transactions;

/// <summary>Applies transfers that were scheduled for later (<c>POST /transaction/{username}/</c> with <c>at</c>).</summary>
public sealed class TransactionTasks(UserAccounts accounts, Transfers transfers)
{
    public const string ApplyTask = "dundie.tasks.transaction.apply";

    /// <summary>A job that gives the points at <paramref name="at"/>, checking the sender's balance then, not now.</summary>
    public static JobRequest ApplyAt(string fromUser, string user, int value, DateTimeOffset at) => JobRequest.Create(
        ApplyTask,
        kwargs: new Dictionary<string, object?> { ["from_user"] = fromUser, ["user"] = user, ["value"] = value },
        options: new EnqueueOptions { EnqueueAt = at, Description = $"{value} points from {fromUser} to {user}" });

    /// <summary>Gives <paramref name="value"/> points from <paramref name="fromUser"/> to <paramref name="user"/>; returns the transaction id.</summary>
    /// <exception cref="TransferFailedException">The transfer cannot happen; the job fails with this reason.</exception>
    [Task(ApplyTask)]
    public async Task<int> Apply(string fromUser, string user, int value, CancellationToken cancellationToken)
    {
        var sender = await accounts.FindAsync(fromUser, cancellationToken)
            ?? throw new TransferFailedException($"User {fromUser} not found");
        if (value <= 0)
        {
            throw new TransferFailedException("The value must be greater than 0");
        }
        var result = await transfers.TransferAsync(sender, user, value, cancellationToken);
        return result.Outcome == TransferOutcome.Done
            ? result.Transaction!.Id
            : throw new TransferFailedException(TransferOutcomes.Describe(result.Outcome, user));
    }
}

/// <summary>A scheduled transfer could not be applied; the message is what the job's failure shows.</summary>
public sealed class TransferFailedException(string message) : Exception(message);
