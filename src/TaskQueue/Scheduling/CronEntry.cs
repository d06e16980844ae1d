using Cronos;
using TaskQueue.Jobs;

namespace TaskQueue.Scheduling;

/// <summary>A periodic task: a cron expression and the job enqueued at each of its ticks.</summary>
/// <remarks>Five fields (minute precision) or six (with seconds first), in <see cref="TimeZone"/>.</remarks>
public sealed class CronEntry
{
    public CronEntry(string name, string expression, JobRequest job, string? queue = null, TimeZoneInfo? timeZone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            Expression = CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new ArgumentException($"Cron schedule '{name}': '{expression}' is not a cron expression ({e.Message}).", nameof(expression), e);
        }
        Name = name;
        Text = expression;
        Job = job;
        Queue = queue;
        TimeZone = timeZone ?? TimeZoneInfo.Utc;
    }

    /// <summary>The entry's name; each tick is enqueued once per name, however many schedulers run.</summary>
    public string Name { get; }

    public string Text { get; }

    public CronExpression Expression { get; }

    public JobRequest Job { get; }

    /// <summary>The queue the job goes to; the default queue when null.</summary>
    public string? Queue { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The first tick strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? NextTick(DateTimeOffset after) => Expression.GetNextOccurrence(after, TimeZone);
}

/// <summary>The periodic tasks registered in this process.</summary>
public sealed class CronSchedule
{
    private readonly List<CronEntry> entries = [];

    public IReadOnlyList<CronEntry> Entries => entries;

    public void Add(CronEntry entry)
    {
        if (entries.Any(e => e.Name == entry.Name)) throw new InvalidOperationException($"A cron schedule named '{entry.Name}' already exists.");
        entries.Add(entry);
    }
}
