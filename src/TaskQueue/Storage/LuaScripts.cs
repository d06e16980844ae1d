using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace TaskQueue.Storage;

/// <summary>The Lua transition scripts, embedded as resources and composed with the files they require.</summary>
/// <remarks>
/// Each <c>Storage/Scripts/X.lua</c> is one transition. Files that only define functions (Common, Finish,
/// Fail, Dequeue...) are prepended to the entry scripts that name them in their <c>-- Requires:</c> line,
/// so a batched script such as Complete runs several transitions atomically in one call.
/// </remarks>
public static partial class LuaScripts
{
    private static readonly ConcurrentDictionary<string, string> Composed = new();
    private static readonly ConcurrentDictionary<string, StoredScript> StoredScripts = new();

    public static string Enqueue => Get(nameof(Enqueue));
    public static string Complete => Get(nameof(Complete));
    public static string PromoteDue => Get(nameof(PromoteDue));
    public static string RequeueAbandoned => Get(nameof(RequeueAbandoned));
    public static string Release => Get(nameof(Release));
    public static string Reclaim => Get(nameof(Reclaim));
    public static string Cancel => Get(nameof(Cancel));
    public static string Requeue => Get(nameof(Requeue));
    public static string Empty => Get(nameof(Empty));
    public static string Heartbeat => Get(nameof(Heartbeat));
    public static string RegisterWorker => Get(nameof(RegisterWorker));
    public static string UnregisterWorker => Get(nameof(UnregisterWorker));
    public static string EnqueueCron => Get(nameof(EnqueueCron));
    public static string Delete => Get(nameof(Delete));
    public static string SearchJobs => Get(nameof(SearchJobs));
    public static string CleanRegistries => Get(nameof(CleanRegistries));
    public static string SaveMeta => Get(nameof(SaveMeta));
    public static string AcquireSchedulerLocks => Get(nameof(AcquireSchedulerLocks));
    public static string ReleaseSchedulerLocks => Get(nameof(ReleaseSchedulerLocks));

    /// <summary>The full text of an entry script: its required files, then its own body.</summary>
    public static string Get(string name) => Composed.GetOrAdd(name, Compose);

    /// <summary>An entry script with its SHA-1, to call by hash (see <see cref="StoredScript"/>).</summary>
    internal static StoredScript Stored(string name) => StoredScripts.GetOrAdd(name, static n => new StoredScript(Get(n)));

    private static string Compose(string name)
    {
        var body = Read(name);
        var requires = RequiresLine().Match(body);
        var parts = requires.Success
            ? requires.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        return string.Join("\n", parts.Select(Read).Append(body));
    }

    private static string Read(string name)
    {
        using var stream = typeof(LuaScripts).Assembly.GetManifestResourceStream($"TaskQueue.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"No embedded script '{name}.lua'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^-- Requires: ([A-Za-z, ]+)$", RegexOptions.Multiline)]
    private static partial Regex RequiresLine();
}
