using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Jobs;
using TaskQueue.Tasks;

namespace TaskQueue.Workers;

/// <summary>Runs one started job: decodes it, binds its arguments, invokes its task in a DI scope under its
/// timeout, runs its callbacks, and turns what happened into an outcome. It never throws: whatever a job
/// does, the worker carries on.</summary>
internal sealed class JobRunner(TaskRegistry tasks, IServiceScopeFactory scopes, IServiceProviderIsService? isService, JobDeadlines deadlines,
    TaskQueueOptions options, string workerName, ILogger logger)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoMeta = new Dictionary<string, JsonElement>();

    /// <summary>How long a canceled job gets to unwind before the worker stops waiting for it.</summary>
    private static readonly TimeSpan UnwindGrace = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="job"/>; returns its outcome, or null when it must not be recorded (released or lost).</summary>
    public async Task<JobOutcome?> RunAsync(StartedJob job, RunningJob running)
    {
        if (job.Problem is { } problem) return Fail(job, $"JobDataError: {problem}; the job was not run.", retry: false);
        JobCall call;
        try
        {
            call = JobData.Decode(job.Data, options.MaxJobDataBytes);
        }
        catch (JobDataException e)
        {
            return Fail(job, $"JobDataError: {e.Message}", retry: false);
        }
        // Describing a call costs more than running a no-op job: only when the line is written.
        if (logger.IsEnabled(LogLevel.Information)) WorkerLog.JobStarting(logger, job.Queue, JobDescription.Of(call), job.Id);

        if (!tasks.TryGet(call.TaskName, out var task))
        {
            return Fail(job, $"UnknownTaskError: no task named '{call.TaskName}' is registered in worker {workerName}. " +
                             "Register it with [Task(\"...\")] and AddTasks(assembly), or --assembly for taskq worker.", retry: false);
        }
        // Refused before it runs, so a job this worker cannot see through has done nothing yet: RQ can requeue it
        // for a Python worker without running its work twice.
        if (Unrunnable(job) is { } reason) return Fail(job, reason, retry: false);

        var timeout = job.TimeoutSeconds switch
        {
            // As RQ's worker does: a job without a timeout (only a hand-written one: producers always write it) runs
            // under RQ's default, not under this process's DefaultTimeout, which is for the jobs it enqueues; and zero or
            // less means none (RQ's death penalty is not armed then).
            null => TimeSpan.FromSeconds(NewJob.RqDefaultTimeoutSeconds),
            <= 0 => Timeout.InfiniteTimeSpan,
            var s => TimeSpan.FromSeconds(s.Value),
        };
        if (timeout != Timeout.InfiniteTimeSpan) deadlines.Watch(running, timeout);

        await using var scope = new JobScope(scopes, isService);
        var context = new JobContext(job.Id, job.Queue, call.TaskName, workerName, job.AbandonedCount, ParseMeta(job.Meta), running.Cancellation.Token);
        var (result, error, retryable) = await InvokeAsync(task, call, context, scope, running);

        switch (running.Reason)
        {
            case CancelReason.Shutdown:
            case CancelReason.LeaseLost:
                return null;
            case CancelReason.Stopped:
                await RunCallbackAsync(job.StoppedCallback, context, scope, excInfo: "Job stopped by user");
                return new JobFailed(job.Id, job.Queue, "JobStoppedException: Job stopped by user", Stopped: true, MayRetry: false);
            case CancelReason.Timeout:
                error = $"JobTimeoutException: Task exceeded maximum timeout value ({timeout.TotalSeconds:0.###} seconds)";
                break;
            case CancelReason.Killed:
                error = "JobKilledException: the job was killed by a kill-horse command";
                break;
        }

        if (error is null)
        {
            byte[]? resultJson;
            try
            {
                resultJson = result is null ? null : JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), options.Json);
            }
            catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
            {
                // RQ stores this text when a return value does not serialize; the job itself did its work.
                resultJson = JsonSerializer.SerializeToUtf8Bytes($"Unserializable return value: {e.Message}");
            }
            error = await RunCallbackAsync(job.SuccessCallback, context, scope, resultJson: resultJson);
            if (error is null) return new JobSucceeded(job.Id, job.Queue, resultJson, job.ResultTtlSeconds);
        }

        await RunCallbackAsync(job.FailureCallback, context, scope, excInfo: error);
        return Fail(job, error, retryable);
    }

    /// <summary>Invokes the task; returns its result, or the text of what went wrong and whether another try could help
    /// (arguments that do not bind never will).</summary>
    private async Task<(object? Result, string? Error, bool Retryable)> InvokeAsync(TaskDescriptor task, JobCall call, JobContext context,
        IServiceProvider services, RunningJob running)
    {
        object?[] args;
        object? target;
        try
        {
            args = ArgumentBinder.Bind(task, call, context, services, options.Json);
            target = task.NeedsInstance ? ActivatorUtilities.GetServiceOrCreateInstance(services, task.Method.DeclaringType!) : task.Target;
        }
        catch (TaskArgumentException e)
        {
            return (null, $"TaskArgumentError: {e.Message}", false);
        }
        catch (InvalidOperationException e)
        {
            return (null, $"TaskResolutionError: cannot create {task.Method.DeclaringType?.Name} for '{task.Name}': {e.Message}", false);
        }

        // An async method is called right here (it returns at its first await). A synchronous one is started by
        // SyncTasks (inline while fast), and waited for like a task, so that when it overruns its timeout the job
        // can be failed without waiting for the method.
        var work = task.Result.IsAsync
            ? Invoke(task, target, args)
            : SyncTasks.Start(task, () => Invoke(task, target, args), running);
        try
        {
            return (await work.WaitAsync(running.Cancellation.Token), null, true);
        }
        catch (OperationCanceledException) when (running.Cancellation.IsCancellationRequested)
        {
            // The token fired (timeout, stop, shutdown). Give the task a moment to unwind, then stop waiting:
            // a task that ignores its token keeps running in the background, but the job moves on.
            try { await work.WaitAsync(UnwindGrace); }
            catch (Exception) { }
            return (null, "canceled", true);
        }
        catch (Exception e)
        {
            return (null, e.ToString(), true);
        }
    }

    private static Task<object?> Invoke(TaskDescriptor task, object? target, object?[] args)
    {
        try
        {
            return task.Result.UnwrapAsync(task.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, args, null));
        }
        catch (Exception e)
        {
            return Task.FromException<object?>(e);
        }
    }

    /// <summary>Runs a callback task by name; returns the error text when it fails.</summary>
    private async Task<string?> RunCallbackAsync(string? name, JobContext context, IServiceProvider services,
        byte[]? resultJson = null, string? excInfo = null)
    {
        if (name is null) return null;
        if (!tasks.TryGet(name, out var callback))
        {
            return $"UnknownTaskError: callback '{name}' is not a registered task in worker {workerName}.";
        }
        // A callback takes the job's context, and either `result` or `exc_info`, whichever it declares.
        var kwargs = new List<KeyValuePair<string, JsonElement>>();
        foreach (var parameter in callback.Parameters)
        {
            var wanted = parameter.Name?.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
            if (wanted == "result") kwargs.Add(new(parameter.Name!, JsonDocument.Parse(resultJson ?? "null"u8.ToArray()).RootElement));
            if (wanted is "excinfo" or "error") kwargs.Add(new(parameter.Name!, JsonSerializer.SerializeToElement(excInfo)));
        }
        var call = new JobCall(name, [], kwargs);
        try
        {
            var args = ArgumentBinder.Bind(callback, call, context, services, options.Json);
            var target = callback.NeedsInstance ? ActivatorUtilities.GetServiceOrCreateInstance(services, callback.Method.DeclaringType!) : callback.Target;
            await callback.Result.UnwrapAsync(callback.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, args, null));
            return null;
        }
        catch (Exception e)
        {
            return $"CallbackError: callback '{name}' failed: {e}";
        }
    }

    /// <summary>Why this worker must not start <paramref name="job"/> at all, or null when it can run it as RQ would:
    /// a callback it does not know (a Python function, say) or RQ 2.x's Repeat.</summary>
    private string? Unrunnable(StartedJob job)
    {
        if ((Unknown(job.SuccessCallback) ?? Unknown(job.FailureCallback) ?? Unknown(job.StoppedCallback)) is { } callback)
        {
            return $"UnknownTaskError: callback '{callback}' is not a registered task in worker {workerName}; the job was not run.";
        }
        return job.RepeatsLeft is > 0
            ? $"UnsupportedJobError: the job asks for RQ 2.x's Repeat (repeats_left={job.RepeatsLeft}), which TaskQueue does not run; the job was not run."
            : null;
    }

    private string? Unknown(string? callback) => callback is not null && !tasks.TryGet(callback, out _) ? callback : null;

    private static JobFailed Fail(StartedJob job, string error, bool retry) => new(job.Id, job.Queue, error, Stopped: false, MayRetry: retry, job.RawId);

    private static IReadOnlyDictionary<string, JsonElement> ParseMeta(string? meta)
    {
        if (meta is null) return NoMeta;
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(meta) ?? NoMeta;
        }
        catch (JsonException)
        {
            return NoMeta;
        }
    }

    /// <summary>A job's DI scope, created on the first service asked of it.</summary>
    /// <remarks>Most tasks are static methods that take only their arguments; a scope per job for them was a measurable
    /// share of a small job's cost. <see cref="IServiceProviderIsService"/> is answered by the root container, so
    /// argument binding can ask which parameters are services without creating the scope.</remarks>
    private sealed class JobScope(IServiceScopeFactory scopes, IServiceProviderIsService? isService) : IServiceProvider, IAsyncDisposable
    {
        private AsyncServiceScope? scope;

        public object? GetService(Type serviceType)
        {
            if (serviceType == typeof(IServiceProviderIsService) && isService is not null) return isService;
            scope ??= scopes.CreateAsyncScope();
            return scope.Value.ServiceProvider.GetService(serviceType);
        }

        public ValueTask DisposeAsync() => scope?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
