using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Jobs;
using TaskQueue.Queues;

namespace TaskQueue.Micro;

/// <summary>Enqueue script calls through the public API against a real redis-server: one job, and a batch.</summary>
/// <remarks>
/// Uses TASKQUEUE_MICRO_REDIS_URL when set; otherwise starts its own redis-server on a free loopback port, without
/// persistence, and stops it afterwards. The queue is emptied after every iteration so memory stays flat.
/// </remarks>
[MemoryDiagnoser]
[ShortRunJob]
public class ScriptCallBenchmarks
{
    private Process? server;
    private ServiceProvider? services;
    private JobQueue? queue;
    private JobRequest[] batch = [];

    [Params(1, 100)]
    public int Jobs { get; set; }

    /// <summary>Whether TaskQueue's spans are listened to (each call then has a send span and stores its context).</summary>
    [Params(false, true)]
    public bool Traced { get; set; }

    private ActivityListener? listener;

    [GlobalSetup]
    public async Task Setup()
    {
        var url = Environment.GetEnvironmentVariable("TASKQUEUE_MICRO_REDIS_URL") ?? StartServer();
        services = new ServiceCollection().AddLogging().AddTaskQueue(o => o.Url = url).Services.BuildServiceProvider();
        queue = services.GetRequiredService<TaskQueueClient>().Queue("micro");
        batch = Enumerable.Range(0, Jobs).Select(_ => JobRequest.Create("bench.noop")).ToArray();
        if (Traced)
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "TaskQueue",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(listener);
        }
        await queue.EmptyAsync();
    }

    [Benchmark]
    public Task<IReadOnlyList<Job>> Enqueue() => queue!.EnqueueManyAsync(batch);

    [IterationCleanup]
    public void Empty() => queue!.EmptyAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public async Task Cleanup()
    {
        listener?.Dispose();
        if (services is not null) await services.DisposeAsync();
        if (server is { HasExited: false })
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    private string StartServer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        server = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        { RedirectStandardOutput = true })!;
        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient("127.0.0.1", port);
                return $"redis://127.0.0.1:{port}";
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException("redis-server did not start");
    }
}
