using Microsoft.Extensions.Configuration;

namespace Dundie.Settings;

/// <summary>The periodic balance report (<c>DUNDIE_REPORT__WEEKLY_BALANCE_CRON</c>).</summary>
public sealed class ReportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "REPORT";

    /// <summary>A cron expression (e.g. <c>0 8 * * MON</c>); empty, the default, turns the report off.</summary>
    [ConfigurationKeyName("WEEKLY_BALANCE_CRON")]
    public string? WeeklyBalanceCron { get; set; }
}
