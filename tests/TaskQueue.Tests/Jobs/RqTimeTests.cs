using TaskQueue.Storage;

namespace TaskQueue.Tests.Jobs;

public sealed class RqTimeTests
{
    [Fact]
    public void ToIso_Instant_RqsMicrosecondFormat()
    {
        var instant = new DateTimeOffset(2026, 11, 28, 12, 48, 36, TimeSpan.Zero).AddTicks(3439460);
        Assert.Equal("2026-11-28T12:48:36.343946Z", RqTime.ToIso(instant));
        Assert.Equal(instant, RqTime.ParseIso("2026-11-28T12:48:36.343946Z"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("not a date")]
    public void ParseIso_EmptyOrJunk_Unset(string? text) => Assert.Null(RqTime.ParseIso(text));

    [Fact]
    public void Score_RoundTrips_ToTheMicrosecond()
    {
        var instant = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560);
        Assert.Equal(1795867200.123456, RqTime.ToScore(instant), 6);
        var back = RqTime.FromScore(double.Parse(RqTime.ScoreText(RqTime.ToScore(instant)), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(instant, back, TimeSpan.FromMicroseconds(1));
    }

    [Fact]
    public void Seconds_PartialSecond_RoundsUp() => Assert.Equal(2, RqTime.Seconds(TimeSpan.FromMilliseconds(1500)));
}
