using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TaskQueue.Dashboard.Hosting;

namespace TaskQueue.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds what the dashboard needs besides <c>AddTaskQueue</c>: antiforgery for its forms, and the sampler
    /// that records queue ages for the overview's chart.</summary>
    public static IServiceCollection AddTaskQueueDashboard(this IServiceCollection services)
    {
        services.AddAntiforgery();
        services.TryAddSingleton<DashboardMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<QueueAgeSampler>();
        return services;
    }
}
