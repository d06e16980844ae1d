using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace TaskQueue.Storage;

/// <summary>A composed Lua script and its SHA-1, for calling it with EVALSHA directly.</summary>
/// <remarks>
/// Given the script's text, StackExchange.Redis finds its SHA-1 in a table keyed by that text, which hashes
/// the whole text (the Complete script is ~20 KB) on every call: ~6 % of a busy worker's CPU. Here the
/// SHA-1 is computed once. The first call in a process writes SCRIPT LOAD ahead of itself on the same
/// connection without waiting (<see cref="LoadAhead"/>), then every call goes by hash; a server that does not
/// have the script (another server, restarted, SCRIPT FLUSH) answers NOSCRIPT and that call is made again with
/// the text. Calls pipelined in one go (a bulk enqueue) get a LOAD ahead of them all, so none can come back
/// NOSCRIPT and be retried out of order.
/// </remarks>
internal sealed class StoredScript(string text)
{
    private volatile bool loadWritten;

    public string Text { get; } = text;

    public byte[] Sha1 { get; } = SHA1.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>Runs the script with <paramref name="values"/> as ARGV (our scripts take no KEYS): by hash, or as
    /// text if the server answers NOSCRIPT.</summary>
    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisValue[] values)
    {
        if (!loadWritten) LoadAhead(database);
        try
        {
            return await database.ScriptEvaluateAsync(Sha1, values: values).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await EvalAsync(database, values).ConfigureAwait(false);
        }
    }

    /// <summary>Writes SCRIPT LOAD to <paramref name="database"/>'s connection without waiting for the reply, ahead
    /// of calls about to be pipelined: the server reads it before them, so they can all go by hash at once, without
    /// a round trip for the first one, on any server.</summary>
    public void LoadAhead(IDatabaseAsync database)
    {
        loadWritten = true;
        database.ExecuteAsync("SCRIPT", ["LOAD", Text], CommandFlags.FireAndForget);
    }

    private Task<RedisResult> EvalAsync(IDatabaseAsync database, RedisValue[] values)
    {
        var args = new object[values.Length + 2];
        args[0] = Text;
        args[1] = 0;
        for (var i = 0; i < values.Length; i++) args[i + 2] = values[i];
        return database.ExecuteAsync("EVAL", args);
    }
}
