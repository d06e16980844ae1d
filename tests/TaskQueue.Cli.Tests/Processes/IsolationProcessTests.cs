using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>Jobs that ignore their cancellation, in real <c>taskq worker</c> processes: with <c>--isolation process</c>
/// their child is killed and the worker carries on; without it they become zombies and the worker exits with an error.
/// Never more than one job's code runs at once under <c>--concurrency 1</c>, whichever process runs it.</summary>
[Collection(WorkerProcesses.Name)]
public sealed class IsolationProcessTests(TestBroker broker) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>Where the test tasks leave their pids, their lock, and a mark when two loops overlapped.</summary>
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("taskq-isolation-");

    [Fact(Timeout = 240_000)]
    public async Task IsolatedWorker_SpinningJobsPastTimeout_EachChildKilledJobFailedNextJobRuns()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--isolation", "process", "--concurrency", "1", "--cancel-grace", "1s");
        var spins = new List<string>();
        for (var i = 0; i < 3; i++) spins.Add(await test.EnqueueAsync("tests.spin", "--args", Args(folder.FullName, 120), "--timeout", "1s"));
        var after = await test.EnqueueAsync("taskq.echo", "--args", "[\"after\"]");

        await test.WaitForStatusAsync(after, JobStatus.Finished, Deadline);

        var pids = new HashSet<int>();
        foreach (var id in spins)
        {
            var job = await test.JobAsync(id);
            Assert.Equal(JobStatus.Failed, job.Status);
            Assert.Equal("JobTimeoutException: Task exceeded maximum timeout value (1 seconds)", job.ExcInfo);
            var pid = PidOf(id);
            // Recorded only once the child was reaped.
            Assert.False(IsAlive(pid), $"the child (pid {pid}) that ran {id} still runs");
            Assert.NotEqual(worker.Pid, pid);
            pids.Add(pid);
        }
        Assert.Equal(3, pids.Count);
        Assert.False(File.Exists(Path.Combine(folder.FullName, "overlap")), "two spinning jobs ran at once");
        Assert.False(worker.HasExited);
        Assert.Contains("its child process (pid", worker.Output);
    }

    [Fact(Timeout = 240_000)]
    public async Task IsolatedWorker_StopJobOnSpinningJob_ChildKilledJobStoppedWorkerCarriesOn()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--isolation", "process", "--concurrency", "1", "--cancel-grace", "1s");
        var spin = await test.EnqueueAsync("tests.spin", "--args", Args(folder.FullName, 120), "--timeout", "10m");
        await Eventually.HoldsAsync(() => Task.FromResult(File.Exists(PidFile(spin))), "the spinning job to start in a child", Deadline);
        var pid = PidOf(spin);

        var stop = await test.Cli.RunAsync("stop-job", spin);

        Assert.Equal(0, stop.ExitCode);
        await test.WaitForStatusAsync(spin, JobStatus.Stopped, Deadline);
        Assert.Equal("JobStoppedException: Job stopped by user", (await test.JobAsync(spin)).ExcInfo);
        Assert.False(IsAlive(pid), $"the child (pid {pid}) still runs");
        var next = await test.EnqueueAsync("tests.spin", "--args", Args(folder.FullName, 0.1));
        await test.WaitForStatusAsync(next, JobStatus.Finished, Deadline);
        Assert.NotEqual(pid, PidOf(next));
        Assert.False(File.Exists(Path.Combine(folder.FullName, "overlap")), "two spinning jobs ran at once");
        Assert.False(worker.HasExited);
    }

    [Fact(Timeout = 240_000)]
    public async Task IsolatedWorker_ChildCrashesOrIsKilled_OnlyItsJobFailsReadablyAndChildReplaced()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--isolation", "process", "--concurrency", "1");
        var crash = await test.EnqueueAsync("tests.crash");
        await test.WaitForStatusAsync(crash, JobStatus.Failed, Deadline);
        Assert.Matches(@"^ChildProcessError: the child process running the job \(pid \d+\) exited with code \d+ before the job ended",
            (await test.JobAsync(crash)).ExcInfo);

        var pidFile = Path.Combine(folder.FullName, "sleeper.pid");
        var sleeper = await test.EnqueueAsync("tests.pid_then_sleep", "--args", $"[\"{pidFile}\", 120]");
        await Eventually.HoldsAsync(() => Task.FromResult(File.Exists(pidFile) && File.ReadAllText(pidFile).Length > 0), "the job to start", Deadline);
        var pid = int.Parse(File.ReadAllText(pidFile));
        System.Diagnostics.Process.GetProcessById(pid).Kill();
        await test.WaitForStatusAsync(sleeper, JobStatus.Failed, Deadline);
        Assert.Contains($"(pid {pid}) exited with code 137 before the job ended", (await test.JobAsync(sleeper)).ExcInfo);

        var after = await test.EnqueueAsync("taskq.echo", "--args", "[\"after\"]");
        await test.WaitForStatusAsync(after, JobStatus.Finished, Deadline);
        Assert.False(worker.HasExited);
    }

    [Fact(Timeout = 240_000)]
    public async Task TaskMarkedForIsolation_WorkerWithoutIsolation_RunsInAChildProcess()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--burst");
        var job = await test.EnqueueAsync("tests.isolated_pid");

        Assert.Equal(0, await worker.WaitForExitAsync(Deadline));
        var info = await test.JobAsync(job);
        Assert.Equal(JobStatus.Finished, info.Status);
        Assert.NotEqual(worker.Pid.ToString(), info.ResultJson);
    }

    [Fact(Timeout = 240_000)]
    public async Task InProcessWorker_SpinningJobsPastTimeout_ZombieReportedAndWorkerExitsWithError()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var spins = new List<string>();
        for (var i = 0; i < 3; i++) spins.Add(await test.EnqueueAsync("tests.spin", "--args", Args(folder.FullName, 120), "--timeout", "1s"));
        var worker = test.StartWorker("--concurrency", "1", "--cancel-grace", "1s");

        Assert.Equal(1, await worker.WaitForExitAsync(Deadline));

        Assert.Contains("a zombie, holding its slot until it returns", worker.Output);
        Assert.Contains("taskq: 1 job(s) ignored their cancellation and still run (zombies)", worker.Output);
        var first = await test.JobAsync(spins[0]);
        Assert.Equal(JobStatus.Failed, first.Status);
        Assert.StartsWith("JobTimeoutException", first.ExcInfo);
        Assert.Equal(JobStatus.Queued, await test.StatusAsync(spins[1]));
        Assert.Equal(JobStatus.Queued, await test.StatusAsync(spins[2]));
        Assert.False(File.Exists(Path.Combine(folder.FullName, "overlap")), "two spinning jobs ran at once");
    }

    private static string Args(string folder, double seconds) => $"[\"{folder}\", {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";

    private string PidFile(string jobId) => Path.Combine(folder.FullName, $"{jobId}.pid");

    private int PidOf(string jobId) => int.Parse(File.ReadAllText(PidFile(jobId)));

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    public void Dispose() => folder.Delete(recursive: true);
}
