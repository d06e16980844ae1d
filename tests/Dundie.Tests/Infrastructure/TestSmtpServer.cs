using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using TaskQueue.TestSupport;

namespace Dundie.Tests.Infrastructure;

/// <summary>A real SMTP server on a free 127.0.0.1 port that keeps what it receives.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private readonly Lock gateLock = new();
    private TaskCompletionSource gate = OpenGate();
    private int held;

    /// <param name="refusedDomain">Recipients in this domain are refused with 550.</param>
    public TestSmtpServer(string? refusedDomain = null)
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(refusedDomain));
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
    }

    public int Port { get; }

    /// <summary>Every message accepted so far.</summary>
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>Messages received but not yet answered because of <see cref="Hold"/>.</summary>
    public int Held => Volatile.Read(ref held);

    /// <summary>How many messages each recipient (lower-case address) received so far.</summary>
    public Dictionary<string, int> CountByRecipient() => Messages
        .SelectMany(message => message.To.Mailboxes)
        .GroupBy(mailbox => mailbox.Address.ToLowerInvariant())
        .ToDictionary(group => group.Key, group => group.Count());

    /// <summary>Leaves every message that arrives from now on unanswered until <see cref="Release"/>.</summary>
    /// <remarks>
    /// The sender has handed over the whole message and waits for the server's answer, the moment where a crash of the
    /// sender leaves a message delivered but not known to be: a held message is kept once released, as a real server would.
    /// </remarks>
    public void Hold()
    {
        lock (gateLock)
        {
            if (gate.Task.IsCompleted)
            {
                gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Answers the held messages and every later one at once.</summary>
    public void Release()
    {
        lock (gateLock)
        {
            gate.TrySetResult();
        }
    }

    /// <summary>A free loopback port with nothing listening on it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until the server accepts connections.</summary>
    public Task WaitUntilListeningAsync() => Eventually.HoldsAsync(async () =>
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }, "the SMTP server to listen");

    public async ValueTask DisposeAsync()
    {
        Release();
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }

    private static TaskCompletionSource OpenGate()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }

    private async Task PassGateAsync()
    {
        Task open;
        lock (gateLock)
        {
            open = gate.Task;
        }
        if (open.IsCompleted)
        {
            return;
        }
        Interlocked.Increment(ref held);
        try
        {
            // Not the session's token: a sender that dies meanwhile does not take back what it handed over.
            await open.WaitAsync(stop.Token);
        }
        finally
        {
            Interlocked.Decrement(ref held);
        }
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            await server.PassGateAsync();
            server.Messages.Enqueue(message);
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(string? refusedDomain) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(
            ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!string.Equals(to.Host, refusedDomain, StringComparison.OrdinalIgnoreCase));
    }
}
