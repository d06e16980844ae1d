using Dundie.Settings;

namespace Dundie.Tests.Unit;

public sealed class RedisOptionsTests
{
    [Fact]
    public void ConfiguredUrl_UrlSet_WinsOverHostAndPort() =>
        Assert.Equal("redis://u:p@cache:6380/2", new RedisOptions { Url = "redis://u:p@cache:6380/2", Host = "other", Port = 1 }.ConfiguredUrl());

    [Fact]
    public void ConfiguredUrl_HostOnly_UsesDefaultPort() =>
        Assert.Equal("redis://redis:6379", new RedisOptions { Host = "redis" }.ConfiguredUrl());

    [Fact]
    public void ConfiguredUrl_HostAndPort_Combined() =>
        Assert.Equal("redis://redis:7000", new RedisOptions { Host = "redis", Port = 7000 }.ConfiguredUrl());

    [Fact]
    public void ConfiguredUrl_NothingSet_IsNullForEmbedded() =>
        Assert.Null(new RedisOptions { Port = 7000 }.ConfiguredUrl());
}
