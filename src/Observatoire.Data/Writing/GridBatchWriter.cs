using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// The fast path of <see cref="GridCommitter"/>: a whole batch written with a few statements instead of a few per grid.
/// The submission ids are looked up in one query, the current revisions (and the highest revision numbers) of the
/// batch's (post, period) keys in one query each, the retired revisions updated with one statement and the new rows
/// inserted with one multi-row statement per table (<see cref="RowInserter{T}"/>, without the change tracker). The outcome of each grid is exactly that of <see cref="GridStore.WriteOneAsync"/> run in the batch's
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
            : (await db.GridRevisions.FromSqlRaw(CurrentSql(keys.Count), Flatten(keys)).AsNoTracking().ToListAsync(ct)).ToDictionary(g => (g.PostId, g.Period));

        var changedKeys = fresh
            .Where(i => currents.TryGetValue((writes[i].Draft.PostId, writes[i].Draft.Period), out var c) && c.ContentHash != writes[i].Draft.ContentHash)
            .Select(i => (writes[i].Draft.PostId, writes[i].Draft.Period))
            .ToList();
        var highest = changedKeys.Count == 0
            ? []
            : (await db.Database.SqlQueryRaw<HighestRevision>(HighestSql(changedKeys.Count), Flatten(changedKeys)).ToListAsync(ct))
                .ToDictionary(h => (h.PostId, h.Period), h => h.Revision);

        // Retire the current revisions first: the filtered unique index allows one current revision per key.
        if (changedKeys.Count > 0)
        {
            await RetireAsync(db, [.. changedKeys.Select(k => currents[k])], ct);
        }

        // The rows are written with a few multi-row statements, without the change tracker (see RowInserter).
        var revisions = new List<GridRevision>();
        var submissions = new List<Submission>();
        var audits = new List<AuditEntry>();
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
            submissions.Add(submission);
            if (currents.TryGetValue((draft.PostId, draft.Period), out var current) && current.ContentHash == draft.ContentHash)
            {
                submission.GridRevisionId = current.Id;
                AddAudit(audits, write.Audit, current, StoreOutcome.SameAsCurrent);
                results[i] = new StoreResult(StoreOutcome.SameAsCurrent, current);
                continue;
            }

            var revision = GridStore.Copy(draft);
            revision.Revision = current is null ? 1 : highest[(draft.PostId, draft.Period)] + 1;
            revision.IsCurrent = true;
            submission.GridRevision = revision;
            revisions.Add(revision);
            AddAudit(audits, write.Audit, revision, StoreOutcome.Created);
            results[i] = new StoreResult(StoreOutcome.Created, revision);
        }

        if (revisions.Count > 0)
        {
            // A round holds each (post, period) once: the pair tells the returned rows apart.
            var inserted = revisions.ToDictionary(r => (r.PostId, r.Period));
            await RowInserter<GridRevision>.For(db).InsertReturningAsync(
                db,
                revisions,
                [nameof(GridRevision.PostId), nameof(GridRevision.Period)],
                row => inserted[(row.GetString(1), row.GetString(2))].Id = row.GetInt64(0),
                ct);
            foreach (var submission in submissions.Where(s => s.GridRevision is not null))
            {
                submission.GridRevisionId = submission.GridRevision.Id;
            }
        }

        await RowInserter<Submission>.For(db).InsertAsync(db, submissions, ct);
        await RowInserter<AuditEntry>.For(db).InsertAsync(db, audits, ct);
    }

    /// <summary>Marks these revisions as no longer current, with one statement.</summary>
    private static async Task RetireAsync(ObservatoireDbContext db, IReadOnlyList<GridRevision> retired, CancellationToken ct)
    {
        var rows = RowInserter<GridRevision>.For(db);
        await using var command = RowInserter<GridRevision>.NewCommand(db);
        var ids = new List<string>(retired.Count);
        command.Parameters.Add(rows.Parameter(command, nameof(GridRevision.IsCurrent), "@current", false));
        for (var i = 0; i < retired.Count; i++)
        {
            ids.Add($"@id{i}");
            command.Parameters.Add(rows.Parameter(command, nameof(GridRevision.Id), $"@id{i}", retired[i].Id));
            retired[i].IsCurrent = false;
        }

        command.CommandText =
            $"UPDATE \"GridRevisions\" SET {rows.Column(nameof(GridRevision.IsCurrent))} = @current WHERE {rows.Column(nameof(GridRevision.Id))} IN ({string.Join(", ", ids)})";
        if (await command.ExecuteNonQueryAsync(ct) != retired.Count)
        {
            throw new DbUpdateConcurrencyException("A current revision changed while the batch was written.");
        }
    }

    private static void AddAudit(List<AuditEntry> audits, Func<GridRevision, StoreOutcome, AuditEntry>? audit, GridRevision revision, StoreOutcome outcome)
    {
        if (audit?.Invoke(revision, outcome) is { } entry)
        {
            audits.Add(entry);
        }
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
