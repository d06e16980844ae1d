using System.Diagnostics;
using System.Net;
using Dundie.Hosting;
using Dundie.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using TaskQueue.Queues;
using TaskQueue.TestSupport;

namespace Dundie.Tests.EndToEnd;

/// <summary>Issue 14: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, Dundie's own OpenTelemetry setup traces a password
/// reset from the HTTP request, through the queue (the trace context travels in the job's hash on the broker), to the
/// worker's run and the SMTP send. The in-memory exporter is added beside the OTLP one, which has no collector here.</summary>
public sealed class TraceTests(TraceTests.Api api) : IClassFixture<TraceTests.Api>
{
    [Fact(Timeout = 120_000)]
    public async Task PasswordReset_OtlpEndpointSet_OneTraceFromRequestToSmtpSend()
    {
        await api.CreateUserAsync("Kelly Kapoor", email: "kelly@dm.com");

        var response = await api.CreateClient().PostJsonAsync("/user/pwd_reset_token/", new { email = "kelly@dm.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(api.Smtp.Messages.Any(m => m.To.Mailboxes.Any(to => to.Address == "kelly@dm.com"))),
            "the reset e-mail at the SMTP server", TimeSpan.FromSeconds(60));
        var smtp = await Eventually.ReturnsAsync(() => Task.FromResult(api.Spans.Where(s => s.DisplayName == "smtp send").FirstOrDefault()),
            s => s is not null, "the SMTP span");
        var trace = api.Spans.Where(s => s.TraceId == smtp!.TraceId);
        var request = Assert.Single(trace, s => s.Kind == ActivityKind.Server);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Equal("/user/pwd_reset_token/", request.GetTagItem("url.path"));
        var send = Assert.Single(trace, s => s.Kind == ActivityKind.Producer);
        var process = Assert.Single(trace, s => s.Kind == ActivityKind.Consumer);
        Assert.Equal(request.SpanId, send.ParentSpanId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal(process.SpanId, smtp!.ParentSpanId);
        var job = await api.Services.GetRequiredService<TaskQueueClient>().Job((string)process.GetTagItem("messaging.message.id")!).GetInfoAsync();
        Assert.StartsWith("dundie.tasks.user.try_to_send_pwd_reset_email(", job!.Description);
    }

    /// <summary>The API with its worker in one host (as <c>dundie up</c>), real SMTP, and the OTLP endpoint set.</summary>
    public sealed class Api : DundieApiFactory, IAsyncLifetime
    {
        private readonly LockedCollection<Activity> spans = new();

        public Api(TestBroker broker)
            : base(broker)
        {
            WithWorker();
            With(DundieTelemetry.EndpointSetting, "http://127.0.0.1:1");
            With("EMAIL:DEBUG_MODE", "false");
            With("EMAIL:SMTP_SERVER", "127.0.0.1");
            With("EMAIL:SMTP_TLS", "None");
            With("EMAIL:SMTP_PORT", $"{Smtp.Port}");
        }

        public TestSmtpServer Smtp { get; } = new();

        public IReadOnlyList<Activity> Spans => spans.Snapshot();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        }

        public async ValueTask InitializeAsync() => await Smtp.WaitUntilListeningAsync();

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }
}
