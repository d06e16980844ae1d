using System.Text;
using TaskQueue.Isolation;
using TaskQueue.Jobs;
using TaskQueue.Workers;

namespace TaskQueue.Tests.Isolation;

/// <summary>The worker-child protocol's framing: what a child may send, and what makes it a broken child.</summary>
public sealed class ChildChannelTests
{
    [Fact]
    public async Task SendThenReceive_RunAndCancel_ComeBackAsSent()
    {
        var stream = new MemoryStream();
        var writer = new ChildChannel(stream, 1 << 16);
        var job = new StartedJob("id1", "default", "[\"t\", null, [], {}]"u8.ToArray()) { TimeoutSeconds = 5, Meta = "{\"a\":1}" };
        await writer.SendAsync(new ChildMessage { Run = job, Worker = "w" }, TestContext.Current.CancellationToken);
        await writer.SendAsync(new ChildMessage { Cancel = CancelReason.Stopped }, TestContext.Current.CancellationToken);

        var reader = new ChildChannel(new MemoryStream(stream.ToArray()), 1 << 16);
        var run = await reader.ReceiveAsync(TestContext.Current.CancellationToken);
        var cancel = await reader.ReceiveAsync(TestContext.Current.CancellationToken);

        Assert.Equal("id1", run!.Run!.Id);
        Assert.Equal(job.Data, run.Run.Data);
        Assert.Equal(5, run.Run.TimeoutSeconds);
        Assert.Equal("{\"a\":1}", run.Run.Meta);
        Assert.Equal(CancelReason.Stopped, cancel!.Cancel);
        Assert.Null(await reader.ReceiveAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("hello from a task that printed\n")]
    [InlineData("{\"done\": 42}\n")]
    [InlineData("{\"pid\": 1")]
    public async Task Receive_Garbage_ThrowsProtocolError(string sent)
    {
        var reader = new ChildChannel(new MemoryStream(Encoding.UTF8.GetBytes(sent)), 1 << 16);

        await Assert.ThrowsAsync<ChildProtocolException>(() => reader.ReceiveAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Receive_LineOverTheLimit_ThrowsProtocolErrorWithoutReadingItAll()
    {
        var reader = new ChildChannel(new MemoryStream(new byte[1 << 20]), 1000);

        var e = await Assert.ThrowsAsync<ChildProtocolException>(() => reader.ReceiveAsync(TestContext.Current.CancellationToken));
        Assert.Contains("longer than 1000 bytes", e.Message);
    }
}
