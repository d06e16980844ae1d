using Microsoft.AspNetCore.Diagnostics;
using StackExchange.Redis;
using TaskQueue.Connection;

namespace Dundie.Api;

/// <summary>Answers 503 when a request needs the queue and the broker cannot be reached, instead of a bare 500.</summary>
/// <remarks>Only the routes that enqueue need the broker; the rest of the API keeps working while it is down.</remarks>
public sealed partial class BrokerUnavailableExceptionHandler(ILogger<BrokerUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (TaskQueueConnectionException or RedisConnectionException or RedisTimeoutException))
        {
            return false;
        }
        Log.BrokerUnavailable(logger, exception.Message);
        await Problems.Status(StatusCodes.Status503ServiceUnavailable, "The job queue is unavailable; try again later.")
            .ExecuteAsync(httpContext);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "The broker is unreachable: {Reason}")]
        public static partial void BrokerUnavailable(ILogger logger, string reason);
    }
}
