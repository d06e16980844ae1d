using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Support;

/// <summary>Runs taskq's root command in-process against the test broker, under one test's key prefix, with
/// its own captured stdout and stderr and an empty environment.</summary>
internal sealed class CliRunner(TestBroker broker, string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>Runs <c>taskq ARGS --url BROKER --prefix PREFIX</c>, canceled with the test.</summary>
    public Task<CliResult> RunAsync(params string[] args) =>
        RunRawAsync([.. args, "--url", broker.Url, "--prefix", Prefix], new Dictionary<string, string>(), TestContext.Current.CancellationToken);

    /// <summary>Runs exactly <paramref name="args"/> with exactly <paramref name="environment"/>.</summary>
    public static async Task<CliResult> RunRawAsync(string[] args, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken = default, CapturedWriter? output = null)
    {
        output ??= new CapturedWriter();
        var error = new CapturedWriter();
        var console = new CliConsole(output, error, name => environment.GetValueOrDefault(name));
        var code = await Taskq.RunAsync(args, console, cancellationToken);
        return new CliResult(code, output.Text, error.Text);
    }
}

/// <summary>What a command printed, and how it exited.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Stdout without its trailing newline (a printed job id, say).</summary>
    public string Line => Out.TrimEnd();

    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}
