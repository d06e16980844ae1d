using TaskQueue.Jobs;

namespace TaskQueue.Tests.Jobs;

public sealed class JobIdsTests
{
    [Fact]
    public void New_ManyIds_TwentyLowercaseAlphanumericsAllDistinct()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => JobIds.New()).ToArray();

        Assert.All(ids, id => Assert.Matches("^[0-9a-v]{20}$", id));
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void New_OneProcess_SharesItsRandomPartAndCountsUp()
    {
        var (first, second) = (JobIds.New(), JobIds.New());

        Assert.Equal(first[..12], second[..12]);
        Assert.True(string.CompareOrdinal(first, second) < 0);
    }
}
