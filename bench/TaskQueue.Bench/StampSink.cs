using System.Globalization;
using StackExchange.Redis;

namespace TaskQueue.Bench;

/// <summary>Where stamp jobs record their lateness: the list bench:stamps, on a connection of their own.</summary>
/// <remarks>Its own multiplexer keeps the measurement's writes out of the worker's pipeline.</remarks>
public sealed class StampSink(string url) : IDisposable
{
    private ConnectionMultiplexer? _redis;

    public async Task ConnectAsync() => _redis ??= await ConnectionMultiplexer.ConnectAsync(RunnerArgs.ToConfiguration(url));

    public async Task PushAsync(double lateMs)
    {
        await ConnectAsync();
        await _redis!.GetDatabase().ListRightPushAsync("bench:stamps", lateMs.ToString("R", CultureInfo.InvariantCulture));
    }

    public void Dispose() => _redis?.Dispose();
}
