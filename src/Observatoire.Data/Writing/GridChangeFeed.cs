using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// The change feed of grid revisions: each batch that writes revisions gives them the next change id
/// (<see cref="GridRevision.ChangeId"/>): stamped just before it commits, under a lock held until the commit, or where the
/// database has one writer, read when its transaction begins and inserted with the rows. A larger
/// id is therefore never visible before a smaller one, and a reader that has applied every change up to id N
/// catches up by reading the revisions above N, never the whole table. The latest id is read with the registry's
/// version (<see cref="ChangeFeed.PositionAsync"/>).
/// </summary>
public static class GridChangeFeed
{
    /// <summary>The next change id, for a writer that holds the database's only write lock (<see cref="IStorageDialect.NumbersChangesAtInsert"/>).</summary>
    public static async Task<long> NextAsync(ObservatoireDbContext db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<long>("""SELECT COALESCE(MAX("ChangeId"), 0) + 1 AS "Value" FROM "GridRevisions" """).SingleAsync(ct);

    /// <summary>Gives the revisions this transaction wrote (change id 0) the next change id, and returns it.</summary>
    public static async Task<long> StampAsync(ObservatoireDbContext db, IStorageDialect dialect, CancellationToken ct)
    {
        await dialect.LockChangeFeedAsync(db, ct);
        var changeId = await NextAsync(db, ct);
        await db.Database.ExecuteSqlAsync($"""UPDATE "GridRevisions" SET "ChangeId" = {changeId} WHERE "ChangeId" = 0""", ct);
        return changeId;
    }

    /// <summary>
    /// The revisions of changes after <paramref name="after"/> up to <paramref name="upTo"/> included, in the order
    /// written, but those of the changes in <paramref name="except"/>.
    /// </summary>
    public static async Task<IReadOnlyList<GridRevision>> BetweenAsync(
        ObservatoireDbContext db, long after, long upTo, IReadOnlyCollection<long> except, CancellationToken ct) =>
        await db.GridRevisions.AsNoTracking()
            .Where(g => g.ChangeId > after && g.ChangeId <= upTo && !except.Contains(g.ChangeId))
            .OrderBy(g => g.ChangeId).ThenBy(g => g.Revision)
            .ToListAsync(ct);
}
