using System.Diagnostics;
using TaskQueue.Tasks;

namespace TaskQueue.TestTasks;

/// <summary>Tasks for the isolation process tests: ones that ignore their cancellation, crash their process, or report
/// which process runs them.</summary>
public static class IsolationTasks
{
    /// <summary>Burns a core, ignoring its cancellation token, for at most <paramref name="seconds"/>. While it runs it
    /// holds an exclusive lock on <c>FOLDER/lock</c>, so a second loop running at the same time, in any process, finds
    /// it taken and leaves <c>FOLDER/overlap</c>; it writes its process id to <c>FOLDER/JOBID.pid</c> first.</summary>
    [Task("tests.spin")]
    public static int Spin(string folder, double seconds, JobContext job)
    {
        File.WriteAllText(Path.Combine(folder, $"{job.JobId}.pid"), Environment.ProcessId.ToString());
        FileStream? held = null;
        try
        {
            held = new FileStream(Path.Combine(folder, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            File.WriteAllText(Path.Combine(folder, "overlap"), job.JobId);
        }
        using (held)
        {
            var clock = Stopwatch.StartNew();
            var spins = 0L;
            while (clock.Elapsed.TotalSeconds < seconds) spins++;
            return (int)Math.Min(spins, int.MaxValue);
        }
    }

    /// <summary>Writes its process id to <paramref name="path"/>, then sleeps, cancellably, for <paramref name="seconds"/>.</summary>
    [Task("tests.pid_then_sleep")]
    public static async Task<int> PidThenSleepAsync(string path, double seconds, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, Environment.ProcessId.ToString(), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return Environment.ProcessId;
    }

    /// <summary>Ends its process at once, as a crash in native code would.</summary>
    [Task("tests.crash")]
    public static void Crash() => Environment.FailFast("tests.crash: crashing on purpose");

    /// <summary>The process that runs it: a child process on any worker, being marked for process isolation.</summary>
    [Task("tests.isolated_pid", Isolation = TaskIsolation.Process)]
    public static int IsolatedPid() => Environment.ProcessId;
}
