using Microsoft.EntityFrameworkCore;

namespace Observatoire.Data.PostgreSql;

/// <summary>The PostgreSQL provider as the server uses it: Npgsql, with the migrations of this assembly.</summary>
public static class PostgreSqlStorage
{
    /// <summary>The assembly that holds the PostgreSQL migrations of <see cref="ObservatoireDbContext"/>.</summary>
    public static string MigrationsAssembly => typeof(PostgreSqlStorage).Assembly.GetName().Name!;

    /// <summary>Npgsql on <paramref name="connectionString"/>; the Observatoire context's migrations come from this assembly.</summary>
    /// <param name="migrationsHistoryTable">The history table of this context's migrations (null: EF Core's default).</param>
    /// <param name="migrationsAssembly">Where this context's PostgreSQL migrations are (null: this assembly).</param>
    public static DbContextOptionsBuilder UseObservatoirePostgreSql(
        this DbContextOptionsBuilder options, string connectionString, string? migrationsHistoryTable = null, string? migrationsAssembly = null) =>
        options.UseNpgsql(connectionString, npgsql =>
        {
            npgsql.MigrationsAssembly(migrationsAssembly ?? MigrationsAssembly);
            if (migrationsHistoryTable is not null)
            {
                npgsql.MigrationsHistoryTable(migrationsHistoryTable);
            }
        });
}
