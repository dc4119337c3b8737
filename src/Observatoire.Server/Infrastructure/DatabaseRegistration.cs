using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Observatoire.Data;
using Observatoire.Data.PostgreSql;

namespace Observatoire.Server.Infrastructure;

/// <summary>The database the server runs on: its engine (Database:Provider) and ConnectionStrings:Observatoire, resolved once.</summary>
/// <param name="ConnectionString">For SQLite, with the file made absolute against the content root.</param>
public sealed record ObservatoireDatabase(DatabaseProvider Provider, string ConnectionString)
{
    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// <summary>Points a context at this database, with its own migrations history table and (PostgreSQL) migrations assembly.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string? migrationsHistoryTable = null, string? postgreSqlMigrationsAssembly = null) =>
        Provider switch
        {
            DatabaseProvider.PostgreSql => options.UseObservatoirePostgreSql(ConnectionString, migrationsHistoryTable, postgreSqlMigrationsAssembly),
            _ => options.UseObservatoireSqlite(ConnectionString, migrationsHistoryTable),
        };
}

/// <summary>Registers the Observatoire database on the engine that Database:Provider names.</summary>
internal static class DatabaseRegistration
{
    public const string DefaultSqlite = "Data Source=data/observatoire.db";

    public static void AddObservatoireDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        var configured = configuration.GetConnectionString("Observatoire");
        var database = provider == DatabaseProvider.PostgreSql
            ? new ObservatoireDatabase(provider, PostgreSqlConnection(configured))
            : new ObservatoireDatabase(provider, PrepareSqlite(configured ?? DefaultSqlite, contentRoot));

        services.AddSingleton(database);
        services.AddSingleton<IStorageDialect>(database.IsSqlite ? new SqliteDialect() : new PostgreSqlDialect());

        // Pooled: a call resolves services that take a context (most never query), and building one each time
        // cost a few percent of the server's CPU under ingest; a pooled context is reset when its scope ends.
        services.AddDbContextPool<ObservatoireDbContext>(o => database.Configure(o));
    }

    private static string PostgreSqlConnection(string? configured) =>
        configured is { Length: > 0 } && !configured.Contains("Data Source", StringComparison.OrdinalIgnoreCase)
            ? configured
            : throw new InvalidOperationException(
                "Database:Provider vaut PostgreSql : ConnectionStrings:Observatoire doit être une chaîne de connexion PostgreSQL (Host=...;Database=...;Username=...).");

    /// <summary>Resolves a relative database file against the content root and creates its folder.</summary>
    private static string PrepareSqlite(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(builder.DataSource) ? builder.DataSource : Path.Combine(contentRoot, builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }

        builder.DefaultTimeout = builder.DefaultTimeout == 30 ? 30 : builder.DefaultTimeout;
        if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource is not ("" or ":memory:"))
        {
            // Never create the file from a request: the initializer creates it at the first start only.
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        return builder.ToString();
    }
}
