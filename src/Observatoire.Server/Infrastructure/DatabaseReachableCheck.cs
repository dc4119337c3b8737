using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Observatoire.Data;

namespace Observatoire.Server.Infrastructure;

/// <summary>
/// Readiness: the database answers a connection now (PostgreSQL: the server is reachable and accepts this role on this
/// database; SQLite: the file opens). Bounded, so that an unreachable host makes the probe say so instead of hanging it.
/// </summary>
internal sealed class DatabaseReachableCheck(IServiceScopeFactory scopes, ObservatoireDatabase database) : IHealthCheck
{
    public const string Name = "connexion";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var engine = database.IsSqlite ? "SQLite" : "PostgreSQL";
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Bound);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        try
        {
            return await db.Database.CanConnectAsync(bounded.Token)
                ? HealthCheckResult.Healthy($"Base de données {engine} joignable")
                : HealthCheckResult.Unhealthy($"Base de données {engine} injoignable");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Base de données {engine} sans réponse en {Bound.TotalSeconds:0} s");
        }
        catch (System.Data.Common.DbException e)
        {
            return HealthCheckResult.Unhealthy($"Base de données {engine} injoignable ({e.GetType().Name})");
        }
    }
}
