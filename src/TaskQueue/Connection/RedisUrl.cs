using StackExchange.Redis;

namespace TaskQueue.Connection;

/// <summary>Turns a <c>redis://</c> or <c>rediss://</c> URL into StackExchange.Redis options.</summary>
/// <remarks>Accepted form: <c>redis[s]://[[user]:password@]host[:port][/db]</c>, as redis-py and RQ take it.</remarks>
public static class RedisUrl
{
    /// <summary>Parses a URL; throws <see cref="FormatException"/> with a readable reason when it is not one.</summary>
    public static ConfigurationOptions Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            throw new FormatException($"'{Redact(url)}' is not a Redis URL (expected redis://host:port or rediss://host:port).");
        }
        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{Redact(url)}' has no host.");
        }

        var options = new ConfigurationOptions
        {
            Ssl = uri.Scheme == "rediss",
            AbortOnConnectFail = false,
            ConnectTimeout = 5000,
        };
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        options.EndPoints.Add(host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
        if (options.Ssl) options.SslHost = host;

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                if (parts[0].Length > 0) options.User = Uri.UnescapeDataString(parts[0]);
                options.Password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                // redis://secret@host: redis-py reads a lone user-info part as the password.
                options.Password = Uri.UnescapeDataString(parts[0]);
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, out var db) || db < 0)
            {
                throw new FormatException($"'{Redact(url)}' names database '{path}'; expected a number such as /0.");
            }
            options.DefaultDatabase = db;
        }
        return options;
    }

    /// <summary>The URL with any password replaced by <c>***</c>, for logs and messages.</summary>
    /// <remarks>Works on the text, not on <see cref="Uri"/>: a URL that does not parse may still hold a password,
    /// and <see cref="UriBuilder"/> refuses to print <c>redis://:***@host</c> (an empty user name).</remarks>
    public static string Redact(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) return url;
        start += 3;
        var at = url.IndexOf('@', start);
        var slash = url.IndexOf('/', start);
        if (at < 0 || (slash >= 0 && slash < at)) return url;
        // user:password keeps the user; a lone part is the password, as redis-py reads it.
        var colon = url.IndexOf(':', start, at - start);
        return url[..start] + (colon >= 0 ? url[start..(colon + 1)] : "") + "***" + url[at..];
    }
}
