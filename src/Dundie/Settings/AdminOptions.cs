namespace Dundie.Settings;

/// <summary>The built-in <c>admin</c> user (<c>DUNDIE_ADMIN__PASSWORD</c>).</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ADMIN";

    /// <summary>The password given to <c>admin</c> when it is first created; generated and printed once when empty.</summary>
    public string? Password { get; set; }
}
