using System.Collections.ObjectModel;

namespace TaskQueue.TestSupport;

/// <summary>A collection that one thread may add to while another takes snapshots (an exporter's list of spans,
/// filled by a worker's threads while the test reads it).</summary>
public sealed class LockedCollection<T> : Collection<T>
{
    /// <summary>The items so far.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        lock (Items) return [.. Items];
    }

    protected override void InsertItem(int index, T item)
    {
        lock (Items) base.InsertItem(index, item);
    }
}
