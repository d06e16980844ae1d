using System.Globalization;
using System.Text.Json;

namespace Bench.Runner;

/// <summary>The harness's runner protocol, shared by the .NET runners (TaskQueue.Bench, Hangfire.Bench): <c>COMMAND --url redis://host:port [--n N] [--concurrency C] ...</c>.</summary>
/// <remarks><c>--isolation</c> (TaskQueue only) runs each job in a warm child process, to measure what process isolation costs.</remarks>
internal sealed record RunnerOptions(string Url, int N, int Concurrency, double IntervalMs, double MinMs, double MaxMs, bool Scheduler, bool Isolation = false);

internal static class RunnerArgs
{
    public static (string Command, RunnerOptions Options) Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            values[args[i][2..]] = hasValue ? args[++i] : "true";
        }
        string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
        double Num(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var options = new RunnerOptions(
            Get("url", "redis://127.0.0.1:6379"),
            (int)Num("n", 1000),
            (int)Num("concurrency", 20),
            Num("interval-ms", 5),
            Num("min-ms", 1000),
            Num("max-ms", 3000),
            values.ContainsKey("scheduler"),
            values.ContainsKey("isolation"));
        return (args.Length > 0 ? args[0] : "", options);
    }

    /// <summary>redis://host:port[/db] to a StackExchange.Redis configuration string.</summary>
    public static string ToConfiguration(string url)
    {
        var uri = new Uri(url);
        var config = $"{uri.Host}:{uri.Port},abortConnect=false";
        var db = uri.AbsolutePath.Trim('/');
        return db.Length > 0 ? $"{config},defaultDatabase={db}" : config;
    }

    /// <summary>Wall-clock milliseconds since the Unix epoch, at tick resolution (all runners share the clock).</summary>
    public static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    public static void Emit(object value)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(value));
        Console.Out.Flush();
    }
}
