using TaskQueue.Jobs;

namespace TaskQueue.Tests.Jobs;

public sealed class RetryTests
{
    [Fact]
    public void Retry_WithoutIntervals_HasRqsSingleZeroInterval() => Assert.Equal([TimeSpan.Zero], new Retry(3).Intervals);

    [Fact]
    public void Retry_WithIntervals_KeepsThem() =>
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], new Retry(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)).Intervals);
}
