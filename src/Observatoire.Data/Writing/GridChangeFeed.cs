using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// The change feed of grid revisions: each batch that writes revisions stamps them, just before it commits,
/// with the next change id (<see cref="GridRevision.ChangeId"/>), under a lock held until the commit. A larger
/// id is therefore never visible before a smaller one, and a reader that has applied every change up to id N
/// catches up by reading the revisions above N, never the whole table.
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

    /// <summary>The latest committed change id (0 when no grid was ever stored): one index lookup.</summary>
    public static async Task<long> LatestAsync(ObservatoireDbContext db, CancellationToken ct) =>
        await db.GridRevisions.MaxAsync(g => (long?)g.ChangeId, ct) ?? 0;

    /// <summary>The revisions of changes after <paramref name="after"/> up to <paramref name="upTo"/> included, in the order written.</summary>
    public static async Task<IReadOnlyList<GridRevision>> BetweenAsync(ObservatoireDbContext db, long after, long upTo, CancellationToken ct) =>
        await db.GridRevisions.AsNoTracking()
            .Where(g => g.ChangeId > after && g.ChangeId <= upTo)
            .OrderBy(g => g.ChangeId).ThenBy(g => g.Revision)
            .ToListAsync(ct);
}
