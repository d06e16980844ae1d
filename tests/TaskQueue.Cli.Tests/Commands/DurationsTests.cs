using TaskQueue.Cli.Parsing;

namespace TaskQueue.Cli.Tests.Commands;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("250ms", 0.25)]
    [InlineData("30s", 30)]
    [InlineData("30", 30)]
    [InlineData("0.5", 0.5)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("0", 0)]
    [InlineData(" 10S ", 10)]
    public void TryParse_Valid_Seconds(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, allowForever: false, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("1y")]
    [InlineData("1e3")]
    [InlineData("10 s")]
    [InlineData("-1")]
    public void TryParse_Invalid_False(string text) => Assert.False(Durations.TryParse(text, allowForever: false, out _));

    [Fact]
    public void TryParse_MinusOneWhereForeverAllowed_Infinite()
    {
        Assert.True(Durations.TryParse("-1", allowForever: true, out var value));
        Assert.Equal(Timeout.InfiniteTimeSpan, value);
    }
}
