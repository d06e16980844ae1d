using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Jobs;
using TaskQueue.Tasks;

namespace TaskQueue.Workers;

/// <summary>Runs one started job in this process: decodes it, binds its arguments, invokes its task in a DI scope,
/// runs its callbacks, and turns what happened into an outcome. It never throws: whatever a job does, the worker
/// carries on.</summary>
/// <remarks>The worker's <see cref="JobExecutor"/> uses it for the jobs it runs itself; a child process
/// (<see cref="Isolation.ChildHost"/>) uses it for the one job it is handed at a time.</remarks>
internal sealed class JobRunner(WorkerServices services, SyncCalls syncCalls, string workerName, TimeSpan unwindGrace)
{
    private readonly WorkerServices services = services;
    private readonly TaskRegistry tasks = services.Tasks;
    private readonly TaskQueueOptions options = services.Options;
    private readonly ILogger logger = services.Logger;

    /// <summary>Decodes <paramref name="job"/> into <paramref name="prepared"/> and finds its task; returns the failure when it
    /// cannot run at all. <paramref name="logStart"/>: whether to write RQ's "queue: call (id)" line (a child leaves it to
    /// its worker).</summary>
    public JobOutcome? Prepare(StartedJob job, out PreparedJob prepared, bool logStart = true)
    {
        prepared = default;
        JobCall call;
        try
        {
            call = JobData.Decode(job.Data, options.MaxJobDataBytes);
        }
        catch (JobDataException e)
        {
            // The data first: a job RQ pickled has a pickled meta too, and the data's reason is the one that helps.
            return Fail(job, $"JobDataError: {e.Message}", retry: false);
        }
        if (job.Problem is { } problem) return Fail(job, $"JobDataError: {problem}; the job was not run.", retry: false);
        // Describing a call costs more than running a no-op job: only when the line is written.
        if (logStart && logger.IsEnabled(LogLevel.Information)) WorkerLog.JobStarting(logger, job.Queue, JobDescription.Of(call), job.Id);

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
        prepared = new PreparedJob(job, call, task, timeout);
        return null;
    }

    /// <summary>Runs a prepared job; its outcome is null when it must not be recorded (released or lost).</summary>
    /// <remarks>When the job's token fired and its code did not return within the unwind grace, the outcome is
    /// decided all the same and <see cref="JobRun.StillRunning"/> is the code that runs on: the caller keeps the
    /// job's slot until it ends. The job's DI scope is disposed only then.</remarks>
    public async Task<JobRun> RunAsync(PreparedJob prepared, RunningJob running)
    {
        var scope = new JobScope(services.Scopes, services.IsService);
        var context = Context(prepared, running);
        var (result, error, retryable, stillRunning) = await InvokeAsync(prepared, context, scope, running);
        var outcome = await EndAsync(prepared, running.Reason, context, scope, result, error, retryable);
        if (stillRunning is null) await scope.DisposeAsync();
        else _ = stillRunning.ContinueWith(static (_, s) => ((JobScope)s!).DisposeAsync(), scope, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new JobRun(outcome, stillRunning);
    }

    /// <summary>The outcome of <paramref name="prepared"/> when its code ended elsewhere (its child process was killed, or
    /// died): decided by <paramref name="reason"/> as for a job run here, with its callbacks run here;
    /// <paramref name="error"/> says why it ended when it was not canceled (the child died by itself).</summary>
    public async Task<JobOutcome?> EndAsync(PreparedJob prepared, CancelReason reason, string error)
    {
        await using var scope = new JobScope(services.Scopes, services.IsService);
        using var running = new RunningJob(prepared.Job.Id, prepared.Job.Queue);
        return await EndAsync(prepared, reason, Context(prepared, running), scope, result: null, error, retryable: true);
    }

    private JobContext Context(PreparedJob prepared, RunningJob running) =>
        new(prepared.Job.Id, prepared.Job.Queue, prepared.Call.TaskName, workerName, prepared.Job.AbandonedCount, ParseMeta(prepared.Job.Meta),
            running.Cancellation.Token, (json, ct) => services.Store.SaveMetaAsync(workerName, prepared.Job.Id, json, ct), options.MaxJobDataBytes);

    /// <summary>Turns what the task did, and why its token fired if it did, into the job's outcome, running its callbacks.</summary>
    private async Task<JobOutcome?> EndAsync(PreparedJob prepared, CancelReason reason, JobContext context, IServiceProvider scope,
        object? result, string? error, bool retryable)
    {
        var job = prepared.Job;
        switch (reason)
        {
            case CancelReason.Shutdown:
            case CancelReason.LeaseLost:
                return null;
            case CancelReason.Stopped:
                await RunCallbackAsync(job.StoppedCallback, context, scope, excInfo: "Job stopped by user");
                return new JobFailed(job.Id, job.Queue, "JobStoppedException: Job stopped by user", Stopped: true, MayRetry: false);
            case CancelReason.Timeout:
                error = $"JobTimeoutException: Task exceeded maximum timeout value ({prepared.Timeout.TotalSeconds:0.###} seconds)";
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
    /// (arguments that do not bind never will), and the code still running when it ignored its token.</summary>
    private async Task<(object? Result, string? Error, bool Retryable, Task? StillRunning)> InvokeAsync(PreparedJob prepared,
        JobContext context, IServiceProvider scope, RunningJob running)
    {
        var task = prepared.Task;
        object?[] args;
        object? target;
        try
        {
            args = ArgumentBinder.Bind(task, prepared.Call, context, scope, options.Json);
            target = task.NeedsInstance ? ActivatorUtilities.GetServiceOrCreateInstance(scope, task.Method.DeclaringType!) : task.Target;
        }
        catch (TaskArgumentException e)
        {
            return (null, $"TaskArgumentError: {e.Message}", false, null);
        }
        catch (InvalidOperationException e)
        {
            return (null, $"TaskResolutionError: cannot create {task.Method.DeclaringType?.Name} for '{task.Name}': {e.Message}", false, null);
        }

        // An async method is called right here (it returns at its first await). A synchronous one is started by
        // SyncCalls (inline while fast), and waited for like a task, so that when it overruns its timeout the job
        // can be failed without waiting for the method.
        var work = task.Result.IsAsync
            ? Invoke(task, target, args)
            : syncCalls.Start(task, () => Invoke(task, target, args), running);
        try
        {
            return (await work.WaitAsync(running.Cancellation.Token), null, true, null);
        }
        catch (OperationCanceledException) when (running.Cancellation.IsCancellationRequested)
        {
            // The token fired (timeout, stop, shutdown). The outcome follows from why; the code gets the unwind grace
            // to return, and when it ignores its token it runs on as a zombie that the caller accounts for.
            try
            {
                if (unwindGrace == Timeout.InfiniteTimeSpan) await work;
                else await work.WaitAsync(unwindGrace, services.Time);
            }
            catch (TimeoutException) when (!work.IsCompleted)
            {
                return (null, "canceled", true, work);
            }
            catch (Exception)
            {
            }
            return (null, "canceled", true, null);
        }
        catch (Exception e)
        {
            return (null, e.ToString(), true, null);
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

    /// <summary>The job's meta as a mutable object; an empty one when it has none (the worker refuses to start a job whose
    /// meta is not a JSON object, see StartedJob).</summary>
    private static System.Text.Json.Nodes.JsonObject ParseMeta(string? meta)
    {
        if (meta is null) return [];
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(meta) as System.Text.Json.Nodes.JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
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

/// <summary>A started job decoded, its task found, with the timeout it runs under (infinite for none).</summary>
internal readonly record struct PreparedJob(StartedJob Job, JobCall Call, TaskDescriptor Task, TimeSpan Timeout);

/// <summary>How a job run ended: its outcome (null: not to be recorded), and the task's code when it ignored its
/// cancellation and still runs.</summary>
internal readonly record struct JobRun(JobOutcome? Outcome, Task? StillRunning);
