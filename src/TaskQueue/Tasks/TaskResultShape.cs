using System.Reflection;

namespace TaskQueue.Tasks;

/// <summary>How to get a task method's result out of what it returns: awaited or not, with a value or not.</summary>
internal sealed class TaskResultShape
{
    private readonly Func<object?, Task<object?>> unwrap;

    private TaskResultShape(Func<object?, Task<object?>> unwrap, bool isAsync = true)
    {
        this.unwrap = unwrap;
        IsAsync = isAsync;
    }

    /// <summary>True when the method returns a task; false when it does all its work before returning.</summary>
    public bool IsAsync { get; }

    /// <summary>Awaits the returned value when it is a task, and gives the result (null for none).</summary>
    public Task<object?> UnwrapAsync(object? returned) => unwrap(returned);

    public static TaskResultShape Of(Type returnType)
    {
        if (returnType == typeof(void)) return new(_ => Task.FromResult<object?>(null), isAsync: false);
        if (returnType == typeof(Task)) return new(async r => { await (Task)r!; return null; });
        if (returnType == typeof(ValueTask)) return new(async r => { await (ValueTask)r!; return null; });
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var result = returnType.GetProperty(nameof(Task<object>.Result))!;
            return new(async r => { await (Task)r!; return result.GetValue(r); });
        }
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = returnType.GetMethod(nameof(ValueTask<object>.AsTask), BindingFlags.Public | BindingFlags.Instance)!;
            var result = typeof(Task<>).MakeGenericType(returnType.GetGenericArguments()[0]).GetProperty(nameof(Task<object>.Result))!;
            return new(async r =>
            {
                var task = (Task)asTask.Invoke(r, null)!;
                await task;
                return result.GetValue(task);
            });
        }
        return new(Task.FromResult, isAsync: false);
    }
}
