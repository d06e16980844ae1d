using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Dundie.Api;

/// <summary>Turns request-binding failures (malformed JSON, wrong types, a missing body) into 422 with field errors.</summary>
/// <remarks>
/// Minimal APIs throw <see cref="BadHttpRequestException"/> for these when <c>ThrowOnBadRequest</c> is on; without this
/// handler they would answer a bare 400. Anything else falls through to the default handler (a 500 ProblemDetails).
/// </remarks>
public sealed partial class BadRequestExceptionHandler(ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }
        var status = badRequest.StatusCode == StatusCodes.Status400BadRequest
            ? StatusCodes.Status422UnprocessableEntity
            : badRequest.StatusCode;
        Log.BadRequest(logger, status, badRequest.Message);
        IResult answer = status == StatusCodes.Status422UnprocessableEntity
            ? Problems.Unprocessable(new Dictionary<string, string[]> { [FieldOf(badRequest)] = [Describe(badRequest)] })
            : Problems.Status(status, badRequest.Message);
        await answer.ExecuteAsync(httpContext);
        return true;
    }

    // System.Text.Json reports where it failed as a JSON path: "$.value" is the field "value"; "$" is the body itself.
    private static string FieldOf(BadHttpRequestException e) =>
        e.InnerException is JsonException { Path: { Length: > 2 } path } && path.StartsWith("$.", StringComparison.Ordinal)
            ? path[2..]
            : "body";

    private static string Describe(BadHttpRequestException e) => e.InnerException switch
    {
        JsonException { Path: { Length: > 2 } } => "The value has the wrong type or format.",
        JsonException => "The body is not valid JSON.",
        _ when e.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase) => "A JSON body is required.",
        _ => e.Message,
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected a request with {Status}: {Reason}")]
        public static partial void BadRequest(ILogger logger, int status, string reason);
    }
}
