using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Observatoire.Data;

/// <summary>
/// Makes every SQLite connection durable and patient: synchronous=FULL so that a transaction
/// acknowledged to a client survives a power loss (WAL with NORMAL could lose the last ones), and a
/// busy timeout so that readers and the single writer wait for each other instead of failing.
/// </summary>
public sealed class DurableSqliteInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
