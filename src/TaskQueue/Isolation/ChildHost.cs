using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Jobs;
using TaskQueue.Workers;

namespace TaskQueue.Isolation;

/// <summary>The child's side: connects to its worker, then runs each job it is handed, one at a time, with the host's
/// tasks and services, until the worker closes the connection.</summary>
/// <remarks>The job runs with no unwind limit: the child answers only once the job's code has returned, so the worker
/// never hands a child a new job while an old one still runs in it; a job that ignores its cancellation is ended by
/// the worker killing the child.</remarks>
internal static class ChildHost
{
    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var marker = Environment.GetEnvironmentVariable(TaskQueueChild.Variable)?.Split(';', 2);
        if (marker is not [var path, var token])
        {
            await Console.Error.WriteLineAsync($"TaskQueue child: {TaskQueueChild.Variable} is not set as a worker sets it.");
            return 2;
        }
        // Processes the jobs start are not children of the worker.
        Environment.SetEnvironmentVariable(TaskQueueChild.Variable, null);
        var worker = services.GetRequiredService<WorkerServices>();
        var syncCalls = new SyncCalls(inline: false);

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        await using var channel = new ChildChannel(new NetworkStream(socket, ownsSocket: true), MaxLineBytes(worker.Options));
        await channel.SendAsync(new ChildMessage { Pid = Environment.ProcessId, Token = token }, cancellationToken);

        RunningJob? current = null;
        while (true)
        {
            ChildMessage? message;
            try
            {
                message = await channel.ReceiveAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or ChildProtocolException or OperationCanceledException)
            {
                return 1;
            }
            // The worker is gone (it exited, or died): so is its job, whatever it still does.
            if (message is null) return 0;
            if (message.Cancel is { } reason && Volatile.Read(ref current) is { } job && job.Id == message.JobId) job.Cancel(reason);
            if (message.Run is { } next)
            {
                var running = new RunningJob(next.Id, next.Queue);
                Volatile.Write(ref current, running);
                var runner = new JobRunner(worker, syncCalls, message.Worker ?? "", Timeout.InfiniteTimeSpan);
                _ = RunOneAsync(runner, next, running, channel);
            }
        }
    }

    private static async Task RunOneAsync(JobRunner runner, StartedJob job, RunningJob running, ChildChannel channel)
    {
        JobOutcome? outcome;
        try
        {
            outcome = runner.Prepare(job, out var prepared, logStart: false) ?? (await runner.RunAsync(prepared, running)).Outcome;
        }
        catch (Exception e)
        {
            outcome = new JobFailed(job.Id, job.Queue, $"WorkerError: {e}", Stopped: false, MayRetry: true);
        }
        try
        {
            await channel.SendAsync(new ChildMessage { Done = ChildOutcome.Of(outcome) });
        }
        catch (IOException)
        {
            // The worker is gone; the loop sees it too.
        }
        running.Dispose();
    }

    /// <summary>The longest message: a job's data and a result are each bounded by MaxJobDataBytes, in base64 (4/3),
    /// plus the rest of the job.</summary>
    public static int MaxLineBytes(TaskQueueOptions options) => (int)Math.Min(int.MaxValue - 64, (long)options.MaxJobDataBytes * 3 + (1 << 20));
}
