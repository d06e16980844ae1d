using TaskQueue.Connection;

namespace TaskQueue.Tests.Connection;

public sealed class RedisUrlTests
{
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
