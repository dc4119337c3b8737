using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Security;

namespace Observatoire.Server.Infrastructure;

/// <summary>
/// Checks, migrates and seeds the database before the server accepts calls, then marks it ready. A file
/// that is empty, damaged, foreign or newer than this build stops the start-up: the server refuses to
/// serve rather than serve empty or wrong figures.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceProvider services,
    DatabaseReadiness readiness,
    StorageHealth storage,
    ConsolidationState consolidation,
    PublishedFigures published,
    SchemaCatalog catalog,
    ApiKeyStore keys,
    ObservatoireDatabase database,
    GridFeedFollower feed,
    IOptions<ReferenceDataOptions> referenceData,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var path = database.IsSqlite ? DatabaseFile(db) : null;
        if (path is not null)
        {
            if (await DatabaseFileCheck.ProblemAsync(db, path, cancellationToken) is { } problem)
            {
                LogRefused(logger, problem);
                throw new InvalidOperationException(problem);
            }

            CreateIfMissing(path);
        }

        await ObservatoireDbInitializer.InitializeAsync(db, referenceData.Value, cancellationToken);
        await keys.BootstrapAsync(db, cancellationToken);
        consolidation.Initialize(await ConsolidationLoader.LoadRegistryAsync(db, cancellationToken));
        // Read before the grids: a change committed meanwhile is applied again by the follower, never missed.
        var changeId = await GridChangeFeed.LatestAsync(db, cancellationToken);
        var grids = await ConsolidationLoader.LoadCubeAsync(db, catalog, consolidation.Cube, cancellationToken);
        feed.Loaded(changeId);
        var stamp = path is null ? 0 : await DatabaseFileCheck.StampAsync(db, cancellationToken);
        readiness.MarkReady();
        storage.MarkReady(path, stamp);
        published.Warm();
        LogReady(logger, db.Database.GetDbConnection().DataSource, grids);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The SQLite database file, or null for an in-memory database.</summary>
    private static string? DatabaseFile(ObservatoireDbContext db)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" ? null : Path.GetFullPath(builder.DataSource);
    }

    /// <summary>
    /// The server's connections never create the file (a file deleted under a running server must not come
    /// back empty): the first start creates it here, once.
    /// </summary>
    private static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical, Message = "The server refuses to start on its database: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

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

/// <summary>Healthy once the database is ready and while it stays there and writable; feeds the standard gRPC health service.</summary>
internal sealed class DatabaseHealthCheck(DatabaseReadiness readiness, StorageHealth storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy("Base de données en cours d'initialisation");
        }

        return await storage.CheckAsync(fresh: true, cancellationToken) is { } fault
            ? HealthCheckResult.Unhealthy(fault)
            : HealthCheckResult.Healthy("Base de données prête");
    }
}
