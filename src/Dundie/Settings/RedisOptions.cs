using Microsoft.Extensions.Configuration;

namespace Dundie.Settings;

/// <summary>Broker settings (<c>DUNDIE_REDIS__URL</c>, or <c>DUNDIE_REDIS__HOST</c> and <c>DUNDIE_REDIS__PORT</c>).</summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "REDIS";

    /// <summary>The port Redis listens on; also the port the embedded broker takes when no server is configured.</summary>
    public const int DefaultPort = 6379;

    /// <summary>A <c>redis://</c> URL; wins over <see cref="Host"/> and <see cref="Port"/>.</summary>
    public string? Url { get; set; }

    /// <summary>The Redis host.</summary>
    public string? Host { get; set; }

    /// <summary>The Redis port.</summary>
    public int? Port { get; set; }

    /// <summary>The key prefix of every queue key (the core's default when empty).</summary>
    [ConfigurationKeyName("KEY_PREFIX")]
    public string? KeyPrefix { get; set; }

    /// <summary>The broker URL these settings name, or null when none is configured and the embedded broker should run.</summary>
    public string? ConfiguredUrl()
    {
        if (!string.IsNullOrWhiteSpace(Url))
        {
            return Url.Trim();
        }
        return string.IsNullOrWhiteSpace(Host) ? null : $"redis://{Host.Trim()}:{Port ?? DefaultPort}";
    }
}
