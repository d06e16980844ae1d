using TaskQueue.Workers;

namespace TaskQueue.Tests.Workers;

public sealed class SignalTests
{
    [Fact]
    public async Task WaitAsync_SetBefore_TrueAtOnceAndResetsForTheNextWait()
    {
        var signal = new Signal();
        signal.Set();
        signal.Set();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        // Two sets before one wait wake it once.
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_NothingSets_FalseAfterTheTimeoutWithoutThrowing()
    {
        var signal = new Signal();

        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_Canceled_Throws()
    {
        var signal = new Signal();
        using var cancel = new CancellationTokenSource();
        var wait = signal.WaitAsync(TimeSpan.FromSeconds(30), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
