using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// The fast path of <see cref="GridCommitter"/>: a whole batch written with a few statements instead of a few per grid.
/// The submission ids are looked up in one query, the current revisions (and the highest revision numbers) of the
/// batch's (post, period) keys in one query each, the retired revisions updated in one save and the new rows inserted
/// in another. The outcome of each grid is exactly that of <see cref="GridStore.WriteOneAsync"/> run in the batch's
/// order: grids that share a key or a submission id go to successive rounds, each seeing what the ones before wrote.
/// Any failure throws; the committer then undoes the batch and writes it again one grid per savepoint.
/// </summary>
internal static class GridBatchWriter
{
    public static async Task<StoreResult[]> WriteAsync(ObservatoireDbContext db, IReadOnlyList<GridWrite> writes, CancellationToken ct)
    {
        var results = new StoreResult[writes.Count];
        foreach (var round in Rounds(writes))
        {
            await WriteRoundAsync(db, writes, round, results, ct);
            db.ChangeTracker.Clear();
        }

        return results;
    }

    /// <summary>Successive groups of indexes (in order) in which no two grids share a key or a submission id.</summary>
    private static List<List<int>> Rounds(IReadOnlyList<GridWrite> writes)
    {
        var rounds = new List<List<int>>();
        var current = new List<int>();
        var keys = new HashSet<(string, string)>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (!keys.Add((write.Draft.PostId, write.Draft.Period)) | !ids.Add(write.SubmissionId))
            {
                rounds.Add(current);
                current = [i];
                keys = [(write.Draft.PostId, write.Draft.Period)];
                ids = new HashSet<string>(StringComparer.Ordinal) { write.SubmissionId };
            }
            else
            {
                current.Add(i);
            }
        }

        rounds.Add(current);
        return rounds;
    }

    private static async Task WriteRoundAsync(ObservatoireDbContext db, IReadOnlyList<GridWrite> writes, List<int> round, StoreResult[] results, CancellationToken ct)
    {
        var ids = round.Select(i => writes[i].SubmissionId).ToList();
        var previous = await db.Submissions.AsNoTracking()
            .Include(s => s.GridRevision)
            .Where(s => ids.Contains(s.SubmissionId))
            .ToDictionaryAsync(s => s.SubmissionId, StringComparer.Ordinal, ct);

        var fresh = round.Where(i => !previous.ContainsKey(writes[i].SubmissionId)).ToList();
        var keys = fresh.Select(i => (writes[i].Draft.PostId, writes[i].Draft.Period)).ToList();
        var currents = keys.Count == 0
            ? []
            : (await db.GridRevisions.FromSqlRaw(CurrentSql(keys.Count), Flatten(keys)).ToListAsync(ct)).ToDictionary(g => (g.PostId, g.Period));

        var changedKeys = fresh
            .Where(i => currents.TryGetValue((writes[i].Draft.PostId, writes[i].Draft.Period), out var c) && c.ContentHash != writes[i].Draft.ContentHash)
            .Select(i => (writes[i].Draft.PostId, writes[i].Draft.Period))
            .ToList();
        var highest = changedKeys.Count == 0
            ? []
            : (await db.Database.SqlQueryRaw<HighestRevision>(HighestSql(changedKeys.Count), Flatten(changedKeys)).ToListAsync(ct))
                .ToDictionary(h => (h.PostId, h.Period), h => h.Revision);

        // Retire the current revisions first: the filtered unique index allows one current revision per key.
        foreach (var (postId, period) in changedKeys)
        {
            currents[(postId, period)].IsCurrent = false;
        }

        if (changedKeys.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        foreach (var i in round)
        {
            var write = writes[i];
            var draft = write.Draft;
            if (previous.TryGetValue(write.SubmissionId, out var earlier))
            {
                var sameContent = earlier.ContentHash == draft.ContentHash && earlier.PostId == draft.PostId && earlier.Period == draft.Period;
                results[i] = new StoreResult(sameContent ? StoreOutcome.Replayed : StoreOutcome.SubmissionIdConflict, earlier.GridRevision);
                continue;
            }

            var submission = GridStore.SubmissionOf(write);
            if (currents.TryGetValue((draft.PostId, draft.Period), out var current) && current.ContentHash == draft.ContentHash)
            {
                submission.GridRevisionId = current.Id;
                db.Submissions.Add(submission);
                GridStore.AddAudit(db, write.Audit, current, StoreOutcome.SameAsCurrent);
                results[i] = new StoreResult(StoreOutcome.SameAsCurrent, current);
                continue;
            }

            var revision = GridStore.Copy(draft);
            revision.Revision = current is null ? 1 : highest[(draft.PostId, draft.Period)] + 1;
            revision.IsCurrent = true;
            submission.GridRevision = revision;
            db.GridRevisions.Add(revision);
            db.Submissions.Add(submission);
            GridStore.AddAudit(db, write.Audit, revision, StoreOutcome.Created);
            results[i] = new StoreResult(StoreOutcome.Created, revision);
        }

        await db.SaveChangesAsync(ct);
    }

    // Only placeholders ({0}, {1}, ...) are written into the SQL; the keys travel as parameters.
    private static string CurrentSql(int keys) =>
        $"""
        SELECT g.* FROM "GridRevisions" AS g JOIN (VALUES {Pairs(keys)}) AS k ON g."PostId" = k.column1 AND g."Period" = k.column2
        WHERE g."IsCurrent"
        """;

    private static string HighestSql(int keys) =>
        $"""
        SELECT g."PostId" AS "PostId", g."Period" AS "Period", MAX(g."Revision") AS "Revision"
        FROM "GridRevisions" AS g JOIN (VALUES {Pairs(keys)}) AS k ON g."PostId" = k.column1 AND g."Period" = k.column2
        GROUP BY g."PostId", g."Period"
        """;

    private static string Pairs(int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(i => $"({{{2 * i}}}, {{{(2 * i) + 1}}})"));

    private static object[] Flatten(List<(string PostId, string Period)> keys) =>
        [.. keys.SelectMany(k => new object[] { k.PostId, k.Period })];

    private sealed class HighestRevision
    {
        public required string PostId { get; init; }

        public required string Period { get; init; }

        public int Revision { get; init; }
    }
}
