using Microsoft.EntityFrameworkCore;
using Npgsql;

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

    public bool IsWriteConflict(Exception error) =>
        (error as PostgresException ?? error.InnerException as PostgresException)?.SqlState
            is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    public Task LockChangeFeedAsync(ObservatoireDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChangeFeedLock})", ct);
}
