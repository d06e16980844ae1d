using System.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TaskQueue.Telemetry;

namespace Dundie.Hosting;

/// <summary>Dundie's spans (<see cref="Source"/>) and its OpenTelemetry export, switched on by
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
/// <remarks>
/// One trace then runs from <c>POST /user/pwd_reset_token/</c> (ASP.NET Core) through TaskQueue's <c>send</c> span,
/// across Redis in the job's hash, to the worker's <c>process</c> span and the SMTP send, with the database calls
/// (EF Core) and outgoing HTTP calls inside. The exporter reads the other standard <c>OTEL_*</c> variables
/// (protocol, headers, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>) itself.
/// </remarks>
public static class DundieTelemetry
{
    /// <summary>The variable (or setting) that turns the export on: the collector's OTLP endpoint.</summary>
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The name of Dundie's own <see cref="ActivitySource"/>.</summary>
    public const string SourceName = "Dundie";

    /// <summary>Dundie's own spans (the SMTP send).</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Exports traces and metrics over OTLP when <see cref="EndpointSetting"/> is set; does nothing otherwise.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Where the endpoint is looked for (environment variables are part of it).</param>
    /// <param name="serviceName">The default <c>service.name</c>: <c>dundie</c> for the API, <c>dundie-worker</c> for a worker.</param>
    /// <param name="web">Whether this host serves HTTP (adds ASP.NET Core's instrumentation).</param>
    public static IServiceCollection AddDundieTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName, bool web)
    {
        if (string.IsNullOrWhiteSpace(configuration[EndpointSetting])) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                if (web) tracing.AddAspNetCoreInstrumentation();
                tracing.AddHttpClientInstrumentation()
                    .AddEntityFrameworkCoreInstrumentation()
                    .AddSource(TaskQueueTelemetry.SourceName, SourceName)
                    .AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                if (web) metrics.AddAspNetCoreInstrumentation();
                metrics.AddHttpClientInstrumentation()
                    .AddMeter(TaskQueueTelemetry.MeterName)
                    .AddOtlpExporter();
            });
        return services;
    }
}
