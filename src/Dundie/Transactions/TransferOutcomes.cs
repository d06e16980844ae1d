namespace Dundie.Transactions;

/// <summary>Words for transfers that did not happen, shared by the API, the command line and the worker.</summary>
public static class TransferOutcomes
{
    /// <summary>A one-line reason for an outcome other than <see cref="TransferOutcome.Done"/>.</summary>
    public static string Describe(TransferOutcome outcome, string receiver) => outcome switch
    {
        TransferOutcome.UnknownReceiver => $"User {receiver} not found",
        TransferOutcome.SameUser => "You cannot give points to yourself",
        TransferOutcome.InsufficientBalance => "Insufficient balance",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
