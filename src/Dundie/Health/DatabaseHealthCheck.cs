using Dundie.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dundie.Health;

/// <summary>Healthy when the database answers a connection.</summary>
public sealed class DatabaseHealthCheck(DundieDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
