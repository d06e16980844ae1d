using System.Net;
using System.Net.Sockets;

namespace TaskQueue.Faults.Tests.Support;

/// <summary>A loopback TCP proxy in front of a server, that the test can cut or black-hole and then restore.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Cut"/>: every open connection is closed, both sides, and new ones are refused (the listener is
/// closed, so a connect gets RST), as when a server or a link goes away.</item>
/// <item><see cref="BlackHole"/>: connections stay open and new ones are accepted, but nothing is forwarded either way,
/// as when packets are dropped. Bytes already read are held, not thrown away: TCP retransmits what a dropped link
/// lost, so when the link comes back both sides see every byte, in order, late.</item>
/// </list>
/// </remarks>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly int targetPort;
    private readonly object gate = new();
    private readonly List<(TcpClient Client, TcpClient Server)> pairs = [];
    private TcpListener? listener;
    private TaskCompletionSource flowing = NewOpenGate();
    private CancellationTokenSource stop = new();

    public TcpProxy(int targetPort)
    {
        this.targetPort = targetPort;
        Port = RedisServer.FreePort();
        Listen();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port { get; }

    /// <summary>Closes every connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (gate)
        {
            listener?.Stop();
            listener = null;
            stop.Cancel();
            foreach (var (client, server) in pairs)
            {
                client.Close();
                server.Close();
            }
            pairs.Clear();
            stop = new CancellationTokenSource();
        }
    }

    /// <summary>Forwards nothing, either way, on open and new connections until <see cref="Restore"/>.</summary>
    public void BlackHole()
    {
        lock (gate)
        {
            if (flowing.Task.IsCompleted) flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Accepts and forwards again; held bytes are delivered.</summary>
    public void Restore()
    {
        lock (gate)
        {
            flowing.TrySetResult();
            if (listener is null) Listen();
        }
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private void Listen()
    {
        var socket = new TcpListener(IPAddress.Loopback, Port);
        socket.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Start();
        listener = socket;
        _ = AcceptAsync(socket, stop.Token);
    }

    private async Task AcceptAsync(TcpListener socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await socket.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            var server = new TcpClient { NoDelay = true };
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, cancellationToken);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                client.Close();
                server.Dispose();
                continue;
            }
            lock (gate)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    client.Close();
                    server.Close();
                    return;
                }
                pairs.Add((client, server));
            }
            _ = PumpAsync(client, server, cancellationToken);
            _ = PumpAsync(server, client, cancellationToken);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                await Gate(cancellationToken);
                var read = await source.ReadAsync(buffer, cancellationToken);
                if (read == 0) break;
                // A black-hole that began during the read holds these bytes until the link is back.
                await Gate(cancellationToken);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
        // One side ended: end the other, as a real connection would.
        from.Close();
        to.Close();
    }

    private Task Gate(CancellationToken cancellationToken)
    {
        Task open;
        lock (gate) open = flowing.Task;
        return open.WaitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        flowing.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
