using StackExchange.Redis;

namespace TaskQueue.Connection;

/// <summary>What the connected server can do, found by probing commands, never by name or version.</summary>
/// <remarks>
/// Garnet 2.2.8 reports <c>redis_version 7.4.3</c> yet has no streams, so a version check would lie.
/// Probes run inside a script, never as a bare unknown command on the wire: Garnet 2.2.8 answers an unknown
/// command twice when its arguments arrive in a later TCP read than its name, and that extra reply shifts
/// every later reply on the connection (a client then reads one command's answer as the next one's).
/// </remarks>
public sealed record ServerCapabilities(bool Streams)
{
    /// <summary>1 when the server runs <c>XLEN</c>, else 0; <c>pcall</c> turns "unknown command" into false.</summary>
    private const string StreamsProbe = "return pcall(redis.call, 'XLEN', KEYS[1]) and 1 or 0";

    /// <summary>Probes the server behind <paramref name="database"/>.</summary>
    public static async Task<ServerCapabilities> ProbeAsync(IDatabaseAsync database)
    {
        var streams = (long)await database.ScriptEvaluateAsync(StreamsProbe, ["taskq:probe:stream"]) == 1;
        return new ServerCapabilities(Streams: streams);
    }
}
