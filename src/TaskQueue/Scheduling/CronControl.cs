using System.Globalization;
using Cronos;
using Microsoft.Extensions.Options;
using TaskQueue.Connection;
using TaskQueue.Storage;

namespace TaskQueue.Scheduling;

/// <summary>Lists, pauses, resumes and runs the periodic tasks from any process (a dashboard, <c>taskq cron</c>).</summary>
/// <remarks>
/// Schedulers publish their entries in <c>rq:cron:entries</c>; a paused entry's name is in <c>rq:cron:paused</c>, which
/// the EnqueueCron script reads in the same atomic step that enqueues a tick, so a pause holds for every scheduler
/// from the next tick on. Pause and resume are one command each.
/// </remarks>
public sealed class CronControl(BrokerConnection broker, JobStore jobs, IOptions<TaskQueueOptions> options, TimeProvider time)
{
    private readonly RedisKeys keys = new(options.Value.KeyPrefix);

    /// <summary>Every published periodic task with its state, last and next run, sorted by name.</summary>
    public async Task<IReadOnlyList<CronEntryState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var db = (await broker.GetAsync(cancellationToken)).Database;
        var entries = db.HashGetAllAsync(keys.CronEntries);
        var ticks = db.HashGetAllAsync(keys.Cron);
        var paused = db.SetMembersAsync(keys.CronPaused);
        await Task.WhenAll(entries, ticks, paused);
        var last = ticks.Result.ToDictionary(e => e.Name.ToString(), e => long.TryParse(e.Value.ToString(), out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : (DateTimeOffset?)null);
        var pausedNames = paused.Result.Select(p => p.ToString()).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        return entries.Result
            .Select(e => PublishedCron.Parse(e.Value.ToString()))
            .OfType<PublishedCron>()
            .Select(p => new CronEntryState(p.Name, p.Expression, p.TimeZone, p.Queue, p.Task, p.Description, pausedNames.Contains(p.Name),
                last.GetValueOrDefault(p.Name), NextRun(p, now), p.PublishedAt))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Pauses the entry: its ticks are skipped until <see cref="ResumeAsync"/>. False when no scheduler has
    /// published an entry of that name.</summary>
    public async Task<bool> PauseAsync(string name, CancellationToken cancellationToken = default)
    {
        var db = (await broker.GetAsync(cancellationToken)).Database;
        if (!await db.HashExistsAsync(keys.CronEntries, name)) return false;
        await db.SetAddAsync(keys.CronPaused, name);
        return true;
    }

    /// <summary>Resumes a paused entry from its next tick on. False when no scheduler has published an entry of that name.</summary>
    public async Task<bool> ResumeAsync(string name, CancellationToken cancellationToken = default)
    {
        var db = (await broker.GetAsync(cancellationToken)).Database;
        if (!await db.HashExistsAsync(keys.CronEntries, name)) return false;
        await db.SetRemoveAsync(keys.CronPaused, name);
        return true;
    }

    /// <summary>Enqueues the entry's job once, now, paused or not; returns its id (<c>cron:NAME:run:MS</c>), or null when
    /// no scheduler has published an entry of that name.</summary>
    public async Task<string?> TriggerAsync(string name, CancellationToken cancellationToken = default)
    {
        var db = (await broker.GetAsync(cancellationToken)).Database;
        var json = await db.HashGetAsync(keys.CronEntries, name);
        if (json.IsNullOrEmpty || PublishedCron.Parse(json.ToString()) is not { } entry) return null;
        var now = time.GetUtcNow();
        var id = $"cron:{name}:run:{now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
        await jobs.EnqueueAsync([entry.ToJob(id, now)], cancellationToken);
        return id;
    }

    private static DateTimeOffset? NextRun(PublishedCron entry, DateTimeOffset now)
    {
        try
        {
            var fields = entry.Expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            var expression = CronExpression.Parse(entry.Expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return expression.GetNextOccurrence(now, TimeZoneInfo.FindSystemTimeZoneById(entry.TimeZone));
        }
        catch (Exception e) when (e is CronFormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}

/// <summary>A published periodic task as <see cref="CronControl"/> lists it. <paramref name="LastRun"/> is the last tick
/// enqueued (not counting runs by hand); <paramref name="PublishedAt"/> when a scheduler last published it (an
/// entry no scheduler registers any more stops being refreshed).</summary>
public sealed record CronEntryState(string Name, string Expression, string TimeZone, string Queue, string TaskName, string Description,
    bool Paused, DateTimeOffset? LastRun, DateTimeOffset? NextRun, DateTimeOffset PublishedAt);
