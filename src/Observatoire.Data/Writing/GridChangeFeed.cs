using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// The change feed of grid revisions: each batch that writes revisions stamps them, just before it commits,
/// with the next change id (<see cref="GridRevision.ChangeId"/>), under a lock held until the commit. A larger
/// id is therefore never visible before a smaller one, and a reader that has applied every change up to id N
/// catches up by reading the revisions above N, never the whole table. The latest id is read with the registry's
/// version (<see cref="ChangeFeed.PositionAsync"/>).
/// </summary>
public static class GridChangeFeed
{
    /// <summary>Gives the revisions this transaction wrote (change id 0) the next change id.</summary>
    public static async Task StampAsync(ObservatoireDbContext db, IStorageDialect dialect, CancellationToken ct)
    {
        await dialect.LockChangeFeedAsync(db, ct);
        await db.Database.ExecuteSqlRawAsync(
            """
            UPDATE "GridRevisions" SET "ChangeId" = (SELECT COALESCE(MAX("ChangeId"), 0) + 1 FROM "GridRevisions")
            WHERE "ChangeId" = 0
            """,
            ct);
    }

    /// <summary>The revisions of changes after <paramref name="after"/> up to <paramref name="upTo"/> included, in the order written.</summary>
    public static async Task<IReadOnlyList<GridRevision>> BetweenAsync(ObservatoireDbContext db, long after, long upTo, CancellationToken ct) =>
        await db.GridRevisions.AsNoTracking()
            .Where(g => g.ChangeId > after && g.ChangeId <= upTo)
            .OrderBy(g => g.ChangeId).ThenBy(g => g.Revision)
            .ToListAsync(ct);
}
