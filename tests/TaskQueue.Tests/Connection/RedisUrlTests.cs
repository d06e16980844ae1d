using System.Net;
using TaskQueue.Connection;

namespace TaskQueue.Tests.Connection;

public sealed class RedisUrlTests
{
    [Fact]
    public void Parse_Plain_HostPortNoTls()
    {
        var options = RedisUrl.Parse("redis://127.0.0.1:6390");
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6390), options.EndPoints.Single());
        Assert.False(options.Ssl);
        Assert.Null(options.Password);
    }

    [Fact]
    public void Parse_TlsUserPasswordDatabase_AllApplied()
    {
        var options = RedisUrl.Parse("rediss://alice:p%40ss@cache.example.com:6380/3");
        Assert.True(options.Ssl);
        Assert.Equal("alice", options.User);
        Assert.Equal("p@ss", options.Password);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal("cache.example.com", options.SslHost);
    }

    [Fact]
    public void Parse_PasswordOnlyAndNoPort_DefaultsLikeRedisPy()
    {
        var options = RedisUrl.Parse("redis://:secret@localhost");
        Assert.Equal("secret", options.Password);
        Assert.Null(options.User);
        Assert.Equal(6379, ((DnsEndPoint)options.EndPoints.Single()).Port);
    }

    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("http://localhost")]
    [InlineData("redis://localhost/abc")]
    public void Parse_NotARedisUrl_FormatExceptionSaysWhy(string url)
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse(url));
        Assert.Contains(url, error.Message);
    }

    [Fact]
    public void Redact_Password_Hidden() =>
        Assert.Equal("redis://alice:***@host:1", RedisUrl.Redact("redis://alice:secret@host:1"));

    [Theory]
    [InlineData("redis://:s3cret@127.0.0.1/abc")]
    [InlineData("redis://user:s3cret@127.0.0.1:6379/-1")]
    [InlineData("http://:s3cret@127.0.0.1")]
    public void Parse_MalformedUrlWithPassword_MessageHidesPassword(string url)
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse(url));

        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Contains("***", error.Message);
    }

    [Theory]
    [InlineData("redis://:s3cret@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0")]
    [InlineData("redis://:s3 cret@host:6379", "redis://:***@host:6379")]
    [InlineData("redis://s3cret@host", "redis://***@host")]
    [InlineData("rediss://user:s3cret@host:6380/2", "rediss://user:***@host:6380/2")]
    [InlineData("redis://127.0.0.1:6379", "redis://127.0.0.1:6379")]
    public void Redact_UrlWithPassword_PasswordMasked(string url, string expected) => Assert.Equal(expected, RedisUrl.Redact(url));

    [Fact]
    public void Parse_PasswordNotPercentEncoded_UserInfoEndsAtLastAt()
    {
        var options = RedisUrl.Parse("redis://:p@ss/w#rd@127.0.0.1:6390/2");

        Assert.Equal("p@ss/w#rd", options.Password);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6390), options.EndPoints.Single());
        Assert.Equal(2, options.DefaultDatabase);
    }

    [Theory]
    [InlineData("redis://:p@ss/w#rd@127.0.0.1:6390", "redis://:***@127.0.0.1:6390")]
    [InlineData("redis://alice:p@ss:w/rd@host", "redis://alice:***@host")]
    [InlineData("redis://:p@ss/w#rd@127.0.0.1:6390/x", "redis://:***@127.0.0.1:6390/x")]
    public void Redact_PasswordNotPercentEncoded_MaskedWhole(string url, string expected) => Assert.Equal(expected, RedisUrl.Redact(url));

    [Theory]
    [InlineData("redis://:p@ss/w#rd@127.0.0.1:6390/x")]
    [InlineData("redis://:p@ss/w#rd@127.0.0.1:6390?nope=1")]
    [InlineData("redis://:p@ss/w#rd@127.0.0.1:6390?ssl_ca_certs=/tmp/ca.pem")]
    [InlineData("rediss://:p@ss/w#rd@127.0.0.1:6390?ssl_ca_certs=/nonexistent/ca.pem")]
    public void Parse_BadUrlWithUnencodedPassword_MessageNeverHoldsAnyPartOfIt(string url)
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse(url));

        foreach (var part in new[] { "p@ss", "ss/w", "w#rd", "#rd" }) Assert.DoesNotContain(part, error.Message);
    }

    [Fact]
    public void Parse_CaCertificateOnPlainRedis_FormatExceptionSaysTlsNeeded()
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse("redis://127.0.0.1:6390?ssl_ca_certs=/tmp/ca.pem"));
        Assert.Contains("rediss://", error.Message);
    }

    [Fact]
    public void Parse_UnknownQueryParameter_FormatExceptionNamesIt()
    {
        var error = Assert.Throws<FormatException>(() => RedisUrl.Parse("rediss://127.0.0.1:6390?ssl_cert_reqs=none"));
        Assert.Contains("'ssl_cert_reqs'", error.Message);
    }

    [Fact]
    public void Parse_CaCertificateFile_LoadedWithoutError()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test ca", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, ca.ExportCertificatePem());

            var options = RedisUrl.Parse($"rediss://127.0.0.1:6390?ssl_ca_certs={Uri.EscapeDataString(path)}");

            Assert.True(options.Ssl);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
