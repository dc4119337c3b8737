using Microsoft.EntityFrameworkCore;

namespace Observatoire.Data.PostgreSql;

/// <summary>
/// PostgreSQL, where several servers write at once: a unique key taken by another writer, a deadlock or a
/// serialization failure is a race that the grid wins by being written again; change ids are handed out under
/// a transaction-level advisory lock.
/// </summary>
public sealed class PostgreSqlDialect : IStorageDialect
{
    // Any fixed number: the lock is only taken by Observatoire's writers, to order the change feed.
    private const long ChangeFeedLock = 0x4F42_5345_5256; // "OBSERV"

    // The states of a race (a key taken, a referenced row gone, a deadlock, a serialization failure) are StorageErrors' list.
    public bool IsWriteConflict(Exception error) => StorageErrors.Classify(error) == StorageErrorKind.Conflict;

    // The two-integer lock space, apart from the feed's: (this number, hash of "post|period").
    private const int GridLockSpace = 0x4F42_5347; // "OBSG"

    public bool NumbersChangesAtInsert => false;

    // Writers wait for row locks, not for the database: an audit line is inserted while a batch of grids is written.
    public bool OneWriterAtATime => false;

    public Task LockChangeFeedAsync(ObservatoireDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChangeFeedLock})", ct);

    // Sorted by hash, every writer takes its keys in the same order: two batches never wait for each other in a cycle.
    // A hash collision only makes two grids wait for each other.
    public Task LockGridsAsync(ObservatoireDbContext db, IEnumerable<(string PostId, string Period)> keys, CancellationToken ct)
    {
        var names = keys.Select(k => $"{k.PostId}|{k.Period}").Distinct(StringComparer.Ordinal).ToArray();
        return db.Database.ExecuteSqlAsync(
            $"""
            SELECT count(pg_advisory_xact_lock({GridLockSpace}, h))
            FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest({names}) AS k ORDER BY h) AS ordered
            """,
            ct);
    }
}
