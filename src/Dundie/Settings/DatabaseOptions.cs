namespace Dundie.Settings;

/// <summary>Database settings (<c>DUNDIE_DB__URI</c>).</summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DB";

    /// <summary>A <c>postgresql://user:pass@host:port/db</c> URL, a <c>sqlite:///path</c> URL or a SQLite file path.</summary>
    /// <remarks>
    /// Empty means the embedded default: <c>dundie.db</c> in the data folder. As in SQLAlchemy, <c>sqlite:///x.db</c> is
    /// relative to the current folder and <c>sqlite:////abs/x.db</c> absolute.
    /// </remarks>
    public string? Uri { get; set; }
}
