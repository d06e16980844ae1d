namespace TaskQueue.Dashboard;

/// <summary>How a mounted dashboard behaves; set in <c>MapTaskQueueDashboard(path, o => ...)</c>.</summary>
public sealed class DashboardOptions
{
    /// <summary>Shows everything and changes nothing: no action buttons, and every action answers 403.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>The title in the page header and the browser tab.</summary>
    public string Title { get; set; } = "TaskQueue";

    /// <summary>How often an open page asks for fresh counts and chart points (bounded below by one second).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs per page in a queue's job lists.</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>How long one search request may scan before it returns what it found and a cursor to go on.</summary>
    public TimeSpan SearchBudget { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (PollInterval < TimeSpan.FromSeconds(1)) throw new ArgumentException($"PollInterval must be at least 1 s, not {PollInterval}.");
        if (PageSize is < 1 or > 500) throw new ArgumentException($"PageSize must be between 1 and 500, not {PageSize}.");
        if (SearchBudget <= TimeSpan.Zero || SearchBudget > TimeSpan.FromSeconds(30)) throw new ArgumentException($"SearchBudget must be between 0 and 30 s, not {SearchBudget}.");
        ArgumentException.ThrowIfNullOrWhiteSpace(Title);
    }
}
