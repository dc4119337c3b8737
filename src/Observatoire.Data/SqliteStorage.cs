using Microsoft.EntityFrameworkCore;

namespace Observatoire.Data;

/// <summary>The SQLite provider as the server uses it: its migrations (in this assembly) and durable connections.</summary>
public static class SqliteStorage
{
    /// <summary>SQLite with synchronous=FULL and a busy timeout on every connection (see <see cref="DurableSqliteInterceptor"/>).</summary>
    /// <param name="migrationsHistoryTable">The history table of this context's migrations (null: EF Core's default).</param>
    public static DbContextOptionsBuilder UseObservatoireSqlite(this DbContextOptionsBuilder options, string connectionString, string? migrationsHistoryTable = null) =>
        options
            .UseSqlite(connectionString, sqlite =>
            {
                if (migrationsHistoryTable is not null)
                {
                    sqlite.MigrationsHistoryTable(migrationsHistoryTable);
                }
            })
            .AddInterceptors(new DurableSqliteInterceptor());
}
