using Microsoft.Extensions.Configuration;

namespace Dundie.Settings;

/// <summary>Where Dundie keeps its local files: the embedded SQLite database, broker log and generated secrets.</summary>
public sealed class DataOptions
{
    /// <summary>The configuration section (<c>DUNDIE_DATA__DIR</c>).</summary>
    public const string Section = "DATA";

    /// <summary>The data folder; relative paths are resolved against the current directory.</summary>
    [ConfigurationKeyName("DIR")]
    public string Directory { get; set; } = ".dundie";

    /// <summary>The absolute path of the data folder.</summary>
    public string FullPath => Path.GetFullPath(Directory);
}
