using Microsoft.EntityFrameworkCore;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>
/// The fast path of <see cref="GridCommitter"/>: a whole batch written with a few statements instead of a few per grid.
/// The submission ids are looked up with one plain statement, the current (highest) revisions of the batch's
/// (post, period) keys with another (<see cref="RowReader{T}"/>, without EF Core's query pipeline, which would compile a
/// plan for each batch size), and the new rows inserted without the change tracker (<see cref="RowInserter{T}"/>: one multi-row statement per table on PostgreSQL, one
/// prepared statement run per row on SQLite). The outcome of each grid is exactly that of <see cref="GridStore.WriteOneAsync"/> run in the batch's
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
        var previous = await PreviousAsync(db, [.. round.Select(i => writes[i].SubmissionId)], ct);
        var fresh = round.Where(i => !previous.ContainsKey(writes[i].SubmissionId)).ToList();
        var currents = await CurrentsAsync(db, [.. fresh.Select(i => (writes[i].Draft.PostId, writes[i].Draft.Period))], ct);

        // The rows are written without the change tracker, as the provider writes them fastest (see RowInserter).
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
                results[i] = new StoreResult(sameContent ? StoreOutcome.Replayed : StoreOutcome.SubmissionIdConflict, earlier.Revision);
                continue;
            }

            var submission = GridStore.SubmissionOf(write);
            submissions.Add(submission);
            var current = currents.GetValueOrDefault((draft.PostId, draft.Period));
            if (current is not null && current.ContentHash == draft.ContentHash)
            {
                submission.GridRevisionId = current.Id;
                AddAudit(audits, write.Audit, current, StoreOutcome.SameAsCurrent);
                results[i] = new StoreResult(StoreOutcome.SameAsCurrent, current);
                continue;
            }

            var revision = GridStore.Copy(draft);
            revision.Revision = current is null ? 1 : current.Revision + 1;
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

    private static void AddAudit(List<AuditEntry> audits, Func<GridRevision, StoreOutcome, AuditEntry>? audit, GridRevision revision, StoreOutcome outcome)
    {
        if (audit?.Invoke(revision, outcome) is { } entry)
        {
            audits.Add(entry);
        }
    }

    /// <summary>The accepted submissions among these ids, each with the revision it resolved to (one statement).</summary>
    private static async Task<Dictionary<string, Earlier>> PreviousAsync(ObservatoireDbContext db, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var found = new Dictionary<string, Earlier>(StringComparer.Ordinal);
        var rows = RowReader<GridRevision>.For(db);
        var submissions = RowInserter<Submission>.For(db);
        await using var command = RowInserter<GridRevision>.NewCommand(db);
        var names = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            names[i] = $"@s{i}";
            command.Parameters.Add(submissions.Parameter(command, nameof(Submission.SubmissionId), names[i], ids[i]));
        }

        command.CommandText =
            $"""
            SELECT s."SubmissionId", s."PostId", s."Period", s."ContentHash", {rows.SelectList("g")}
            FROM "Submissions" AS s JOIN "GridRevisions" AS g ON g."Id" = s."GridRevisionId"
            WHERE s."SubmissionId" IN ({string.Join(", ", names)})
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found[reader.GetString(0)] = new Earlier(reader.GetString(1), reader.GetString(2), reader.GetString(3), rows.Read(reader, 4));
        }

        return found;
    }

    /// <summary>The current revision (the highest) of each of these (post, period) keys that has one (one statement).</summary>
    private static async Task<Dictionary<(string PostId, string Period), GridRevision>> CurrentsAsync(
        ObservatoireDbContext db, IReadOnlyList<(string PostId, string Period)> keys, CancellationToken ct)
    {
        var found = new Dictionary<(string PostId, string Period), GridRevision>();
        if (keys.Count == 0)
        {
            return found;
        }

        var rows = RowReader<GridRevision>.For(db);
        var revisions = RowInserter<GridRevision>.For(db);
        await using var command = RowInserter<GridRevision>.NewCommand(db);
        var pairs = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            pairs[i] = $"(@p{i}, @d{i})";
            command.Parameters.Add(revisions.Parameter(command, nameof(GridRevision.PostId), $"@p{i}", keys[i].PostId));
            command.Parameters.Add(revisions.Parameter(command, nameof(GridRevision.Period), $"@d{i}", keys[i].Period));
        }

        // The highest number is read through the unique index on (post, period, revision), then its row.
        command.CommandText =
            $"""
            SELECT {rows.SelectList("g")}
            FROM "GridRevisions" AS g JOIN (VALUES {string.Join(", ", pairs)}) AS k ON g."PostId" = k.column1 AND g."Period" = k.column2
            WHERE g."Revision" = (SELECT MAX(h."Revision") FROM "GridRevisions" AS h WHERE h."PostId" = g."PostId" AND h."Period" = g."Period")
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var current = rows.Read(reader, 0);
            found[(current.PostId, current.Period)] = current;
        }

        return found;
    }

    /// <summary>An accepted submission: what it was for, and the revision it resolved to.</summary>
    private sealed record Earlier(string PostId, string Period, string ContentHash, GridRevision Revision);
}
