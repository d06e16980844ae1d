using StackExchange.Redis;

namespace TaskQueue.Connection;

/// <summary>What the connected server can do, found by probing commands, never by name or version.</summary>
/// <remarks>Garnet 2.2.8 reports <c>redis_version 7.4.3</c> yet has no streams, so a version check would lie.</remarks>
public sealed record ServerCapabilities(bool Streams)
{
    /// <summary>Probes the server behind <paramref name="database"/>.</summary>
    public static async Task<ServerCapabilities> ProbeAsync(IDatabaseAsync database)
    {
        return new ServerCapabilities(Streams: await SupportsAsync(database, "XLEN", "taskq:probe:stream"));
    }

    private static async Task<bool> SupportsAsync(IDatabaseAsync database, string command, params object[] args)
    {
        try
        {
            await database.ExecuteAsync(command, args);
            return true;
        }
        catch (RedisServerException e) when (e.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase)
                                              || e.Message.Contains("ERR unknown", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }
}
