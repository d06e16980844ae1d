using Dundie.Api;
using Dundie.Auth;
using Dundie.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskQueue.Queues;

namespace Dundie.Transactions;

/// <summary>The <c>/transaction</c> routes: give points, list transactions.</summary>
public static class TransactionEndpoints
{
    public static IEndpointRouteBuilder MapTransactions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/transaction").WithTags("transaction")
            .RequireAuthorization().AddEndpointFilter<ValidationFilter>();
        group.MapPost("/{username}/", Give)
            .WithSummary("Give points to a user, now or (with at) at a future time");
        group.MapGet("/", List)
            .WithSummary("List transactions, newest first; users see only their own");
        return routes;
    }

    private static async Task<Results<Created<TransactionResponse>, Accepted<ScheduledTransferResponse>, ProblemHttpResult>> Give(
        string username, TransferRequest request, HttpContext http, UserAccounts accounts, Transfers transfers,
        TaskQueueClient queue, CancellationToken cancellationToken)
    {
        var sender = await accounts.FindAsync(http.User.Username()!, cancellationToken);
        if (sender is null)
        {
            return Problems.Status(StatusCodes.Status401Unauthorized, "Could not validate credentials");
        }
        if (request.At is { } at)
        {
            // The receiver must exist now; the balance is checked when the job runs, as the transfer happens then.
            if (await accounts.FindAsync(username, cancellationToken) is null)
            {
                return Refusal(TransferOutcome.UnknownReceiver, username);
            }
            if (username == sender.Username)
            {
                return Refusal(TransferOutcome.SameUser, username);
            }
            var job = await queue.Queue().EnqueueAsync(
                TransactionTasks.ApplyAt(sender.Username, username, request.Value!.Value, at), cancellationToken);
            return TypedResults.Accepted($"/transaction/?user={Uri.EscapeDataString(username)}", new ScheduledTransferResponse(job.Id, at));
        }
        var result = await transfers.TransferAsync(sender, username, request.Value!.Value, cancellationToken);
        return result.Outcome switch
        {
            TransferOutcome.Done => TypedResults.Created(
                $"/transaction/?user={Uri.EscapeDataString(username)}",
                new TransactionResponse(result.Transaction!.Id, result.Transaction.Value, result.Transaction.Date, username, sender.Username)),
            _ => Refusal(result.Outcome, username),
        };
    }

    private static async Task<Ok<Paged<TransactionResponse>>> List(
        [AsParameters] TransactionListQuery query, HttpContext http, TransactionHistory history, CancellationToken cancellationToken)
    {
        var visibleTo = http.User.IsSuperuser() ? null : http.User.Username();
        return TypedResults.Ok(await history.ListAsync(query, visibleTo, cancellationToken));
    }

    /// <summary>The HTTP answer to a transfer that did not happen.</summary>
    private static ProblemHttpResult Refusal(TransferOutcome outcome, string receiver) => Problems.Status(
        outcome == TransferOutcome.UnknownReceiver ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
        TransferOutcomes.Describe(outcome, receiver));
}
