using System.Linq.Expressions;
using TaskQueue.Tasks;

namespace TaskQueue.Jobs;

/// <summary>A job to enqueue: a task name, its arguments and options.</summary>
public sealed record JobRequest
{
    private JobRequest(string taskName, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, EnqueueOptions options)
    {
        TaskName = taskName;
        Args = args;
        Kwargs = kwargs;
        Options = options;
    }

    /// <summary>The stable name the task is registered under, e.g. <c>dundie.tasks.user.send_email</c>.</summary>
    public string TaskName { get; }

    /// <summary>Positional arguments, serialized with System.Text.Json.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>Keyword arguments, bound by parameter name.</summary>
    public IReadOnlyDictionary<string, object?> Kwargs { get; }

    public EnqueueOptions Options { get; }

    /// <summary>A job for the task named <paramref name="taskName"/>.</summary>
    public static JobRequest Create(string taskName, IEnumerable<object?>? args = null,
        IReadOnlyDictionary<string, object?>? kwargs = null, EnqueueOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        return new JobRequest(taskName, args?.ToArray() ?? [], kwargs ?? EmptyKwargs, options ?? Default);
    }

    /// <summary>A job for the static task method called in <paramref name="call"/>.</summary>
    public static JobRequest From(Expression<Action> call, EnqueueOptions? options = null) => FromCall(TaskCall.Parse(call), options);

    /// <summary>A job for the static async task method called in <paramref name="call"/>.</summary>
    public static JobRequest From(Expression<Func<Task>> call, EnqueueOptions? options = null) => FromCall(TaskCall.Parse(call), options);

    /// <summary>A job for the task method of DI service <typeparamref name="TService"/> called in <paramref name="call"/>.</summary>
    public static JobRequest From<TService>(Expression<Action<TService>> call, EnqueueOptions? options = null) =>
        FromCall(TaskCall.Parse(call), options);

    /// <summary>A job for the async task method of DI service <typeparamref name="TService"/> called in <paramref name="call"/>.</summary>
    public static JobRequest From<TService>(Expression<Func<TService, Task>> call, EnqueueOptions? options = null) =>
        FromCall(TaskCall.Parse(call), options);

    private static JobRequest FromCall(TaskCall call, EnqueueOptions? options) =>
        new(call.TaskName, call.Args, EmptyKwargs, options ?? Default);

    private static readonly EnqueueOptions Default = new();
    private static readonly IReadOnlyDictionary<string, object?> EmptyKwargs = new Dictionary<string, object?>();
}
