using Dundie.Api;
using Dundie.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dundie.Notifications;

/// <summary>The <c>/notifications</c> routes.</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/notifications").WithTags("notifications")
            .RequireAuthorization(DundieClaims.SuperuserPolicy);
        group.MapPost("/balance/", NotifyBalances)
            .WithSummary("Queue a balance e-mail for every user (superusers only)");
        return routes;
    }

    private static async Task<Accepted<NotificationsQueued>> NotifyBalances(
        BalanceNotifications notifications, CancellationToken cancellationToken)
    {
        var jobs = await notifications.EnqueueAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new NotificationsQueued(jobs.Count));
    }

    /// <summary>How many e-mails were queued.</summary>
    public sealed record NotificationsQueued(int Count);
}
