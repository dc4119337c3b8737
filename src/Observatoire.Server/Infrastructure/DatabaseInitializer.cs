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
/// Checks, migrates and seeds the database, then loads the registry and the cube, as a start-up phase that runs once
/// the ports are open (<see cref="IHostedLifecycleService.StartedAsync"/>, after Kestrel started): meanwhile liveness
/// answers, readiness says which step runs (<see cref="DatabaseReadiness"/>) and the API answers UNAVAILABLE
/// (<see cref="Operations.StartupGate"/>). A file that is empty, damaged, foreign or newer than this build stops the
/// server: it refuses to serve rather than serve empty or wrong figures.
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
    IEnumerable<IStartupMigration> migrations,
    IConfiguration configuration,
    IOptions<ReferenceDataOptions> referenceData,
    ILogger<DatabaseInitializer> logger) : IHostedLifecycleService
{
    /// <summary>
    /// Test-only setting: while the file it names exists, the start-up waits before loading the cube, so that a test
    /// sees the server answer "not ready" (never set in production; README, Operations).
    /// </summary>
    public const string HoldCubeLoadKey = "Testing:HoldCubeLoadWhileFileExists";

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once Kestrel listens: the host's start (and an in-process test host's) completes when the data is loaded.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            readiness.Fail(e.Message);
            throw;
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        readiness.Enter(StartupStep.Migrations);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var path = database.IsSqlite ? DatabaseFile(db) : null;
        if (path is not null)
        {
            if (await DatabaseFileCheck.ProblemAsync(db, path, cancellationToken) is { } problem)
            {
                LogRefused(logger, problem);
                throw new StartupRefusedException(problem);
            }

            CreateIfMissing(path);
        }

        await ObservatoireDbInitializer.InitializeAsync(db, referenceData.Value, cancellationToken);
        await keys.BootstrapAsync(db, cancellationToken);
        foreach (var migration in migrations)
        {
            await migration.MigrateAsync(cancellationToken);
        }

        readiness.Enter(StartupStep.CubeLoad);
        if (configuration[HoldCubeLoadKey] is { Length: > 0 } hold)
        {
            while (File.Exists(hold))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }

        // Grids stored under a version this server does not know (its file taken out of Schemas:Directory, or an older
        // release): their figures cannot be read, so the server refuses to serve rather than serve without them.
        var known = catalog.All.Select(s => s.Version).ToList();
        var unknown = await db.GridRevisions.AsNoTracking().Select(g => g.SchemaVersion).Distinct()
            .Where(v => !known.Contains(v)).OrderBy(v => v).ToListAsync(cancellationToken);
        if (unknown.Count > 0)
        {
            var problem = $"La base contient des grilles de version {string.Join(", ", unknown)}, que ce serveur ne connaît pas " +
                $"(il connaît {string.Join(", ", known)}) : rendez-lui le fichier de ces versions ({Grids.SchemaFolder.Setting}) " +
                "ou démarrez la version du serveur qui les embarque.";
            LogRefused(logger, problem);
            throw new StartupRefusedException(problem);
        }

        // Read before the registry and the grids: a change committed meanwhile is applied again by the follower, never missed.
        var position = await ChangeFeed.PositionAsync(db, cancellationToken);
        consolidation.Initialize(await ConsolidationLoader.LoadRegistryAsync(db, cancellationToken));
        var grids = await ConsolidationLoader.LoadCubeAsync(db, catalog, consolidation.Cube, cancellationToken);
        feed.Loaded(position);
        var stamp = path is null ? 0 : await DatabaseFileCheck.StampAsync(db, cancellationToken);
        storage.MarkReady(path, stamp);
        readiness.MarkReady();
        published.Warm();
        LogReady(logger, db.Database.GetDbConnection().DataSource, grids);
    }

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

/// <summary>Another store migrated in the start-up's migration step, after the statistics database (the web accounts).</summary>
internal interface IStartupMigration
{
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>The steps of the start-up phase, before the server is ready.</summary>
internal enum StartupStep
{
    Migrations,
    CubeLoad,
}

/// <summary>Where the start-up phase is: migrations, cube load, ready, or failed (the server then stops).</summary>
internal sealed class DatabaseReadiness
{
    private volatile string _state = "démarrage : en attente";
    private volatile bool _ready;
    private volatile bool _failed;

    public bool IsReady => _ready;

    /// <summary>Whether the start-up phase failed (the host is stopping).</summary>
    public bool HasFailed => _failed;

    /// <summary>The step under way or what went wrong, in French (the readiness probe's description).</summary>
    public string State => _ready ? "prête" : _state;

    public void Enter(StartupStep step) => _state = step switch
    {
        StartupStep.Migrations => "démarrage : migrations",
        _ => "démarrage : chargement du cube",
    };

    public void MarkReady() => _ready = true;

    public void Fail(string reason)
    {
        _state = $"démarrage échoué : {reason}";
        _failed = true;
    }
}

/// <summary>
/// Healthy once the start-up phase is over and while the database stays there and writable, and while the instance can
/// follow what the others store (<see cref="GridFeedFollower.Blocked"/>); feeds the standard gRPC health service.
/// </summary>
internal sealed class DatabaseHealthCheck(DatabaseReadiness readiness, StorageHealth storage, GridFeedFollower feed) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy($"Base de données non prête ({readiness.State})");
        }

        if (feed.Blocked is { } blocked)
        {
            return HealthCheckResult.Unhealthy(blocked.Message);
        }

        return await storage.CheckAsync(fresh: true, cancellationToken) is { } fault
            ? HealthCheckResult.Unhealthy(fault)
            : HealthCheckResult.Healthy("Base de données prête");
    }
}
