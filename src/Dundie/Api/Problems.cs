using Microsoft.AspNetCore.Http.HttpResults;

namespace Dundie.Api;

/// <summary>The error answers every feature gives, as ProblemDetails.</summary>
public static class Problems
{
    /// <summary>422 with the field errors in <c>errors</c>.</summary>
    public static ProblemHttpResult Unprocessable(FieldErrors errors) => Unprocessable(errors.ToDictionary());

    /// <summary>422 with the field errors in <c>errors</c>.</summary>
    public static ProblemHttpResult Unprocessable(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "One or more fields are invalid.",
        });

    /// <summary>An error with a status and a one-line <c>detail</c>.</summary>
    public static ProblemHttpResult Status(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status);
}
