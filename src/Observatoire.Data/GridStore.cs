using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>What happened to a submission.</summary>
public enum StoreOutcome
{
    /// <summary>A new revision was written.</summary>
    Created,

    /// <summary>This submission id was already accepted with the same content: nothing written.</summary>
    Replayed,

    /// <summary>A new submission id with the content of the current revision: recorded, no new revision.</summary>
    SameAsCurrent,

    /// <summary>This submission id was already used for different content: nothing written.</summary>
    SubmissionIdConflict,
}

/// <summary>The outcome of storing a grid and the revision that now answers for it.</summary>
public sealed record StoreResult(StoreOutcome Outcome, GridRevision Revision);

/// <summary>
/// Durable storage of grid revisions. Every write is one transaction, and writes are serialised:
/// SQLite has one writer, and revision numbering must not race.
/// </summary>
public sealed class GridStore(ObservatoireDbContext db, GridStoreLock writeLock)
{
    /// <summary>The post's current grids of the same period kind before <paramref name="period"/>, newest first.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, long>>> HistoryAsync(
        string postId, Period period, int count, SchemaCatalog catalog, CancellationToken ct)
    {
        var rows = await db.GridRevisions.AsNoTracking()
            .Where(g => g.PostId == postId && g.IsCurrent && g.PeriodKind == period.Kind && g.PeriodStart < period.Start)
            .OrderByDescending(g => g.PeriodStart)
            .Take(count)
            .Select(g => new { g.SchemaVersion, g.Cells })
            .ToListAsync(ct);
        return rows
            .Select(r => catalog.Find(r.SchemaVersion) is { } schema
                ? NormalizedGrid.ToValues(schema, schema.Layout.Decode(r.Cells))
                : new Dictionary<string, long>())
            .ToList();
    }

    /// <summary>Stores a validated grid as a new revision unless the submission is a replay.</summary>
    /// <param name="departmentCode">Where the post was for the period (the registry's rule), kept with the revision.</param>
    /// <param name="audit">The audit line of the write, saved in the same transaction (not called for a replay).</param>
    public async Task<StoreResult> StoreAsync(
        NormalizedGrid grid,
        string departmentCode,
        string submissionId,
        string clientId,
        string warningsJson,
        DateTime receivedAtUtc,
        Func<GridRevision, StoreOutcome, AuditEntry>? audit,
        CancellationToken ct)
    {
        await writeLock.Semaphore.WaitAsync(ct);
        try
        {
            var period = grid.Period.ToString();
            var previous = await db.Submissions.AsNoTracking()
                .Include(s => s.GridRevision)
                .FirstOrDefaultAsync(s => s.SubmissionId == submissionId, ct);
            if (previous is not null)
            {
                var sameContent = previous.ContentHash == grid.ContentHash && previous.PostId == grid.PostId && previous.Period == period;
                return new StoreResult(sameContent ? StoreOutcome.Replayed : StoreOutcome.SubmissionIdConflict, previous.GridRevision);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var current = await db.GridRevisions
                .FirstOrDefaultAsync(g => g.PostId == grid.PostId && g.Period == period && g.IsCurrent, ct);

            var submission = new Submission
            {
                SubmissionId = submissionId,
                PostId = grid.PostId,
                Period = period,
                ContentHash = grid.ContentHash,
                ClientId = clientId,
                ReceivedAtUtc = receivedAtUtc,
            };

            if (current is not null && current.ContentHash == grid.ContentHash)
            {
                submission.GridRevisionId = current.Id;
                db.Submissions.Add(submission);
                AddAudit(audit, current, StoreOutcome.SameAsCurrent);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                db.ChangeTracker.Clear();
                return new StoreResult(StoreOutcome.SameAsCurrent, current);
            }

            if (current is not null)
            {
                current.IsCurrent = false;

                // The filtered unique index allows one current revision: retire the old one first.
                await db.SaveChangesAsync(ct);
            }

            var revision = new GridRevision
            {
                PostId = grid.PostId,
                Period = period,
                PeriodKind = grid.Period.Kind,
                PeriodStart = grid.Period.Start,
                PeriodEnd = grid.Period.End,
                Revision = current is null
                    ? 1
                    : await db.GridRevisions.Where(g => g.PostId == grid.PostId && g.Period == period).MaxAsync(g => g.Revision, ct) + 1,
                IsCurrent = true,
                DepartmentCode = departmentCode,
                SchemaVersion = grid.Schema.Version,
                ClientId = clientId,
                SubmissionId = submissionId,
                ContentHash = grid.ContentHash,
                ReceivedAtUtc = receivedAtUtc,
                Comment = grid.Comment,
                Cells = grid.Schema.Layout.Encode(grid.Cells),
                WarningsJson = warningsJson,
            };
            submission.GridRevision = revision;
            db.GridRevisions.Add(revision);
            db.Submissions.Add(submission);
            AddAudit(audit, revision, StoreOutcome.Created);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);

            // A bulk stream shares one context: do not let thousands of stored grids pile up in its tracker.
            db.ChangeTracker.Clear();
            return new StoreResult(StoreOutcome.Created, revision);
        }
        finally
        {
            writeLock.Semaphore.Release();
        }
    }

    private void AddAudit(Func<GridRevision, StoreOutcome, AuditEntry>? audit, GridRevision revision, StoreOutcome outcome)
    {
        if (audit?.Invoke(revision, outcome) is { } entry)
        {
            db.AuditEntries.Add(entry);
        }
    }

    /// <summary>The current revision (revision 0) or a given one, or null.</summary>
    public Task<GridRevision?> GetAsync(string postId, string period, int revision, CancellationToken ct) =>
        db.GridRevisions.AsNoTracking()
            .Where(g => g.PostId == postId && g.Period == period && (revision == 0 ? g.IsCurrent : g.Revision == revision))
            .FirstOrDefaultAsync(ct);

    /// <summary>Every revision of a post's grid for a period, oldest first.</summary>
    public async Task<IReadOnlyList<GridRevision>> ListRevisionsAsync(string postId, string period, CancellationToken ct) =>
        await db.GridRevisions.AsNoTracking()
            .Where(g => g.PostId == postId && g.Period == period)
            .OrderBy(g => g.Revision)
            .ToListAsync(ct);
}

/// <summary>The process-wide write lock of <see cref="GridStore"/> (register as a singleton).</summary>
public sealed class GridStoreLock
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);
}
