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
}
