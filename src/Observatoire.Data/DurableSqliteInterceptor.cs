using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Observatoire.Data;

/// <summary>
/// Makes every SQLite connection durable and patient: synchronous=FULL so that a transaction
/// acknowledged to a client survives a power loss (WAL with NORMAL could lose the last ones), and a
/// busy timeout so that readers and the single writer wait for each other instead of failing.
/// <para>
/// And fast to read: a page cache of up to 16 MiB per connection, filled as pages are read (SQLite's default is 2 MiB,
/// far less than the indexes a batch of grids touches, which the writer then read again from the file at every batch).
/// And the journal checkpointed every 8,000 pages (32 MiB) instead of every 1,000: a batch of grids writes a few
/// megabytes of pages, so the default copied the journal back into the file at nearly every commit, inside the single
/// writer; less often, a page changed by several batches is copied once. And temporary storage in memory: the journal
/// of a savepoint (a batch of grids is written inside one, to be undone alone if a grid fails) otherwise spills past
/// 64 KiB into a temporary file, where it wrote twice what the commit itself wrote; it is never read after a crash (the
/// write-ahead journal is what recovers), and a batch's is bounded by <see cref="GridCommitter.MaxBatch"/>. None of
/// these changes what is durable. The file is not mapped in memory (<c>mmap_size</c>): a file emptied under the
/// server would then stop the process (SIGBUS) instead of failing the health check.
/// </para>
/// </summary>
public sealed class DurableSqliteInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=8000; PRAGMA temp_store=MEMORY;";

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
