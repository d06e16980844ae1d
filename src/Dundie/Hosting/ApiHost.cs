using System.Text.Json;
using Dundie.Admin;
using Dundie.Api;
using Dundie.Auth;
using Dundie.Health;
using Dundie.Notifications;
using Dundie.Settings;
using Dundie.Transactions;
using Dundie.Users;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using TaskQueue.Health;
using TaskQueue.Hosting;

namespace Dundie.Hosting;

/// <summary>Builds the web application: the API, its docs at <c>/docs</c> and <c>/health</c>.</summary>
public static class ApiHost
{
    /// <summary>Creates a builder with Dundie's settings sources and services; callers may add more before building.</summary>
    /// <param name="args">Host settings as <c>--key=value</c> (what <c>WebApplicationFactory</c> and the commands pass).</param>
    /// <param name="configureQueue">More queue registrations, such as a worker in this process.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<TaskQueueBuilder>? configureQueue = null)
    {
        // appsettings.json ships beside the binary, so the content root is the binary's folder, not the current one.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddDundieSources();
        builder.Services.AddDundieCore();
        var queue = builder.Services.AddDundieQueue(builder.Configuration);
        configureQueue?.Invoke(queue);
        AddApiServices(builder.Services);
        builder.Services.AddDundieTelemetry(builder.Configuration, "dundie", web: true);
        return builder;
    }

    /// <summary>Builds the application and maps every route.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi("/openapi.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("Dundie API").WithOpenApiRoutePattern("/openapi.json"));
        app.MapHealth();
        app.MapAuth();
        app.MapUsers();
        app.MapTransactions();
        app.MapNotifications();
        app.MapAdmin();
        return app;
    }

    private static void AddApiServices(IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<BrokerUnavailableExceptionHandler>();
        // Binding failures become exceptions that BadRequestExceptionHandler turns into 422s with field errors.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddDundieAuthentication();
        services.AddDundieAdmin();
        services.AddSingleton<PasswordResetLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>(
            (options, limits) => PasswordResetLimiter.AddPerIpPolicy(options, limits.Value));
        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityScheme>());
        // TaskQueue's check: the broker answers a PING, and the worker of `dundie up` (when it runs here) heartbeats.
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddTaskQueue(name: "broker");
    }
}
