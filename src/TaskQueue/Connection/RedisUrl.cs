using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StackExchange.Redis;

namespace TaskQueue.Connection;

/// <summary>Turns a <c>redis://</c> or <c>rediss://</c> URL into StackExchange.Redis options.</summary>
/// <remarks>
/// Accepted form: <c>redis[s]://[[user]:password@]host[:port][/db][?ssl_ca_certs=PATH]</c>, as redis-py and RQ take
/// it. The user information ends at the last <c>@</c>, so a password typed without percent-encoding
/// (<c>redis://:p@ss/w#rd@host</c>) still parses, and is never echoed back in a message: <see cref="Uri"/> would
/// have cut it at its first <c>/</c> or <c>#</c> and taken the rest for the host.
/// </remarks>
public static class RedisUrl
{
    /// <summary>The query parameter naming a PEM (or DER) file of the CA that signed a TLS server's certificate,
    /// named as redis-py names it; needed for a server whose CA the machine does not trust.</summary>
    public const string CaCertificateParameter = "ssl_ca_certs";

    /// <summary>Parses a URL; throws <see cref="FormatException"/> with a readable reason when it is not one.</summary>
    public static ConfigurationOptions Parse(string url)
    {
        var (scheme, userInfo, rest) = Split(url);
        if (scheme is not ("redis" or "rediss") ||
            !Uri.TryCreate($"{scheme}://{rest}", UriKind.Absolute, out var uri))
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
            // StackExchange.Redis's default backs reconnects off up to 10 s apart, so a worker cut off for 10 s could
            // stay away up to 10 s more once the network is back; a try a second costs a dead server nothing.
            ReconnectRetryPolicy = new ExponentialRetry(250, 1000),
        };
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        options.EndPoints.Add(host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
        if (options.Ssl) options.SslHost = host;

        if (userInfo is not null)
        {
            var colon = userInfo.IndexOf(':');
            if (colon >= 0)
            {
                if (colon > 0) options.User = Uri.UnescapeDataString(userInfo[..colon]);
                options.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
            else
            {
                // redis://secret@host: redis-py reads a lone user-info part as the password.
                options.Password = Uri.UnescapeDataString(userInfo);
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
        ApplyQuery(url, uri, options);
        return options;
    }

    /// <summary>The URL with any password replaced by <c>***</c>, for logs and messages.</summary>
    /// <remarks>Works on the text, not on <see cref="Uri"/>: a URL that does not parse may still hold a password,
    /// and <see cref="UriBuilder"/> refuses to print <c>redis://:***@host</c> (an empty user name). Everything up to the
    /// last <c>@</c> is user information, as <see cref="Parse"/> reads it: a password with an unencoded <c>@</c>,
    /// <c>/</c> or <c>#</c> is masked whole.</remarks>
    public static string Redact(string url)
    {
        var (_, userInfo, _) = Split(url);
        if (userInfo is null) return url;
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        // user:password keeps the user; a lone part is the password, as redis-py reads it.
        var colon = userInfo.IndexOf(':');
        return url[..start] + (colon >= 0 ? userInfo[..(colon + 1)] : "") + "***" + url[(start + userInfo.Length)..];
    }

    /// <summary>The scheme, the user information (null when there is none) and the rest (host, port, path, query).</summary>
    private static (string? Scheme, string? UserInfo, string Remainder) Split(string url)
    {
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0) return (null, null, url);
        var rest = url[(separator + 3)..];
        var at = rest.LastIndexOf('@');
        return at < 0 ? (url[..separator], null, rest) : (url[..separator], rest[..at], rest[(at + 1)..]);
    }

    private static void ApplyQuery(string url, Uri uri, ConfigurationOptions options)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (name != CaCertificateParameter)
            {
                throw new FormatException($"'{Redact(url)}' has an unknown parameter '{name}'; the only one taken is {CaCertificateParameter}=PATH.");
            }
            if (!options.Ssl)
            {
                throw new FormatException($"'{Redact(url)}': {CaCertificateParameter} needs TLS (rediss://).");
            }
            options.TrustIssuer(LoadCertificate(url, value));
        }
    }

    /// <summary>Reads a CA certificate as PEM, else as DER.</summary>
    private static X509Certificate2 LoadCertificate(string url, string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new FormatException($"'{Redact(url)}': cannot read the CA certificate {CaCertificateParameter}={path}: {e.Message}", e);
        }
    }
}
