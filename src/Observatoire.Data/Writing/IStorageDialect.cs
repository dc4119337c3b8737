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

    // The transaction holds SQLite's only write lock since its first write.
    public Task LockChangeFeedAsync(ObservatoireDbContext db, CancellationToken ct) => Task.CompletedTask;

    public Task LockGridsAsync(ObservatoireDbContext db, IEnumerable<(string PostId, string Period)> keys, CancellationToken ct) => Task.CompletedTask;
}
