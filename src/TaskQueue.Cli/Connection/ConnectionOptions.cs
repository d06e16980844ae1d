using System.CommandLine;

namespace TaskQueue.Cli.Connection;

/// <summary>The options every command takes: which broker, and under which key prefix.</summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = "Broker URL: redis://[[user]:password@]host[:port][/db], or rediss:// for TLS " +
                      "[default: $TASKQ_URL, else $REDIS_URL, else redis://127.0.0.1:6379]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> Prefix { get; } = new("--prefix")
    {
        Description = "Key prefix, for tests and multi-tenant setups; RQ only sees the default [default: $TASKQ_PREFIX, else rq:]",
        HelpName = "PREFIX",
        Recursive = true,
    };

    /// <summary>The settings this invocation asked for, options first, then the environment.</summary>
    public ConnectionSettings Resolve(ParseResult parse, CliConsole console) =>
        ConnectionSettings.Resolve(parse.GetValue(Url), parse.GetValue(Prefix), console.GetVariable);
}
