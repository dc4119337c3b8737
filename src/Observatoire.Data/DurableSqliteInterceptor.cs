using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Observatoire.Data;

/// <summary>
/// Makes every SQLite connection durable and patient: synchronous=FULL so that a transaction
/// acknowledged to a client survives a power loss (WAL with NORMAL could lose the last ones), and a
/// busy timeout so that readers and the single writer wait for each other instead of failing.
/// <para>
/// And fast to read: a 16 MiB page cache per connection (SQLite's default is 2 MiB, far less than the indexes a batch
/// of grids touches, which it then read again from the file) and the file mapped in memory (256 MiB: reads share the
/// operating system's cache instead of copying each page through a system call). Neither changes what is durable.
/// </para>
/// </summary>
public sealed class DurableSqliteInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA cache_size=-16384; PRAGMA mmap_size=268435456;";

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
