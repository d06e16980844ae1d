using TaskQueue.Connection;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Connection;

/// <summary>Which broker a command talks to, and the key prefix it works under.</summary>
internal sealed record ConnectionSettings(string Url, string Prefix)
{
    public const string DefaultUrl = "redis://127.0.0.1:6379";

    /// <summary>The URL for messages and logs: never with its password.</summary>
    public string DisplayUrl => RedisUrl.Redact(Url);

    /// <summary>Resolves <c>--url</c>, else <c>TASKQ_URL</c>, else <c>REDIS_URL</c>, else the local default; and
    /// <c>--prefix</c>, else <c>TASKQ_PREFIX</c>, else RQ's <c>rq:</c>.</summary>
    /// <exception cref="UsageException">The chosen URL is not a Redis URL, or the prefix is blank.</exception>
    public static ConnectionSettings Resolve(string? url, string? prefix, Func<string, string?> variable)
    {
        var (chosen, source) = url is not null ? (url, "--url")
            : variable("TASKQ_URL") is { } taskq ? (taskq, "TASKQ_URL")
            : variable("REDIS_URL") is { } redis ? (redis, "REDIS_URL")
            : (DefaultUrl, "the default URL");
        try
        {
            RedisUrl.Parse(chosen);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{source}: {e.Message}");
        }

        var keyPrefix = prefix ?? variable("TASKQ_PREFIX") ?? RedisKeys.DefaultPrefix;
        if (string.IsNullOrWhiteSpace(keyPrefix)) throw new UsageException("--prefix cannot be blank.");
        return new ConnectionSettings(chosen, keyPrefix);
    }
}
