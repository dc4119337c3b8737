using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Security;

namespace Observatoire.Server.Infrastructure;

/// <summary>Migrates and seeds the database before the server accepts calls, then marks it ready.</summary>
internal sealed partial class DatabaseInitializer(
    IServiceProvider services,
    DatabaseReadiness readiness,
    ConsolidationState consolidation,
    SchemaCatalog catalog,
    ApiKeyStore keys,
    IOptions<ReferenceDataOptions> referenceData,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        await ObservatoireDbInitializer.InitializeAsync(db, referenceData.Value, cancellationToken);
        await keys.BootstrapAsync(db, cancellationToken);
        consolidation.Initialize(await ConsolidationLoader.LoadRegistryAsync(db, cancellationToken));
        var grids = await ConsolidationLoader.LoadCubeAsync(db, catalog, consolidation.Cube, cancellationToken);
        readiness.MarkReady();
        LogReady(logger, db.Database.GetDbConnection().DataSource, grids);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Database {DataSource} migrated and ready, {Grids} current grids loaded for consolidation")]
    private static partial void LogReady(ILogger logger, string dataSource, int grids);
}

/// <summary>Whether the database has been migrated and seeded.</summary>
internal sealed class DatabaseReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}

/// <summary>Healthy once the database is ready; feeds the standard gRPC health service.</summary>
internal sealed class DatabaseHealthCheck(DatabaseReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady ? HealthCheckResult.Healthy("Base de données prête") : HealthCheckResult.Unhealthy("Base de données en cours d'initialisation"));
}
