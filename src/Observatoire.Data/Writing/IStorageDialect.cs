using Microsoft.EntityFrameworkCore;

namespace Observatoire.Data;

/// <summary>
/// What the single writer needs to know of its database engine: which failures are a race with another
/// writer (retried), and how to number the changes it commits in commit order (the feed other instances read).
/// </summary>
public interface IStorageDialect
{
    /// <summary>True when the failure is a conflict with a concurrent writer (a unique key taken, a deadlock): the grid is written again.</summary>
    bool IsWriteConflict(Exception error);

    /// <summary>
    /// True when the database has a single writer, whose transaction holds the only write lock from its start: its
    /// change id is then known before it writes and each revision is inserted with it. Otherwise the rows are inserted
    /// with change id 0 and stamped just before the commit, under <see cref="LockChangeFeedAsync"/> (writers of several
    /// servers commit in another order than they began).
    /// </summary>
    bool NumbersChangesAtInsert { get; }

    /// <summary>
    /// True when the database lets one transaction write at a time and leaves the others to poll for its lock: SQLite's
    /// busy handler sleeps up to 100 ms between tries, so a short write behind a batch of grids waited up to a quarter of a
    /// second after the batch had ended. The server's other writes then take their turn on <see cref="GridStoreLock"/>
    /// with the batches, woken the moment the writer before them is done.
    /// </summary>
    bool OneWriterAtATime { get; }

    /// <summary>Held until the transaction ends: change ids are handed out one writer at a time, so they are committed in their order.</summary>
    Task LockChangeFeedAsync(ObservatoireDbContext db, CancellationToken ct);

    /// <summary>
    /// Held until the transaction ends: the (post, period) keys a batch writes, taken in one order by every writer, so that
    /// writers of the same grid through other servers wait their turn instead of losing races again and again.
    /// </summary>
    Task LockGridsAsync(ObservatoireDbContext db, IEnumerable<(string PostId, string Period)> keys, CancellationToken ct);
}

/// <summary>SQLite: one server, one writer (the file's write lock and <see cref="GridStoreLock"/>); nothing races.</summary>
public sealed class SqliteDialect : IStorageDialect
{
    public bool IsWriteConflict(Exception error) => false;

    // A transaction begins IMMEDIATE (Microsoft.Data.Sqlite's default): it holds the file's only write lock from its
    // start, so the change id read first is still the next one when it commits.
    public bool NumbersChangesAtInsert => true;

    public bool OneWriterAtATime => true;

    // The transaction holds SQLite's only write lock.
    public Task LockChangeFeedAsync(ObservatoireDbContext db, CancellationToken ct) => Task.CompletedTask;

    public Task LockGridsAsync(ObservatoireDbContext db, IEnumerable<(string PostId, string Period)> keys, CancellationToken ct) => Task.CompletedTask;
}
