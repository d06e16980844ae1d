using Microsoft.AspNetCore.Http.HttpResults;

namespace Dundie.Api;

/// <summary>Runs <see cref="IValidatable.Validate"/> on every request argument that has it, before the handler.</summary>
public sealed class ValidationFilter(TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new FieldErrors(time.GetUtcNow());
        foreach (var argument in context.Arguments)
        {
            (argument as IValidatable)?.Validate(errors);
        }
        return errors.IsEmpty ? await next(context) : Problems.Unprocessable(errors);
    }
}
