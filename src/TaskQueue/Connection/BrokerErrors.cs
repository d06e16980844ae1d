using StackExchange.Redis;

namespace TaskQueue.Connection;

/// <summary>Sorts what a broker call can throw: the broker or the way to it failing (try again later), a script that
/// failed on what it read (the same call would fail again), or neither (a bug: let it surface).</summary>
public static class BrokerErrors
{
    /// <summary>Error prefixes of a server that is there but cannot take the call now: out of memory, busy with a slow
    /// script, loading its data, a replica or a cluster in transition. Nothing was written.</summary>
    private static readonly string[] Transient = ["OOM", "BUSY", "LOADING", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MOVED", "ASK"];

    /// <summary>True for anything the broker, or the way to it, throws.</summary>
    public static bool IsBrokerError(Exception e) => e is RedisException or TimeoutException or TaskQueueConnectionException;

    /// <summary>True when the call may have run on the server though no reply came back: the connection broke or the
    /// reply timed out. A worker that sent jobs' outcomes or asked for jobs then checks what the call did.</summary>
    public static bool MayHaveRun(Exception e) => e is RedisConnectionException or TimeoutException;

    /// <summary>True when the server answered the call with an error of the call itself (a script that failed), which
    /// sending the same call again would repeat; false for a transient state of the server or the connection.</summary>
    public static bool IsScriptError(Exception e) =>
        e is RedisServerException server && !Transient.Any(p => server.Message.StartsWith(p, StringComparison.Ordinal));
}
