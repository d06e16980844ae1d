using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskQueue.Connection;

namespace Dundie.Health;

/// <summary>Healthy when the queue broker answers a PING.</summary>
public sealed class BrokerHealthCheck(BrokerConnection broker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await broker.GetAsync(cancellationToken);
            await connection.Database.PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The broker does not answer.", e);
        }
    }
}
