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
public sealed record StoreResult(StoreOutcome Outcome, GridRevision Revision)
{
    /// <summary>
    /// When the transaction that holds this outcome had committed (a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp, the same for every grid of a batch): a check of the database file begun after it saw the commit.
    /// </summary>
    public long CommittedAt { get; init; }
}

/// <summary>
/// Durable storage of grid revisions. Writes go through the single <see cref="GridCommitter"/>: SQLite has one
/// writer, and revision numbering must not race; concurrent submissions share its transactions.
/// </summary>
public sealed class GridStore(ObservatoireDbContext db, GridCommitter committer)
{
    /// <summary>
    /// Stores a validated grid as a new revision unless the submission is a replay. The revision is prepared here
    /// (cells encoded), outside the single writer; <see cref="GridCommitter"/> writes it with the grids that arrive
    /// meanwhile and answers once their transaction has committed.
    /// </summary>
    /// <param name="departmentCode">Where the post was for the period (the registry's rule), kept with the revision.</param>
    /// <param name="audit">The audit line of the write, saved in the same transaction (not called for a replay).</param>
    public Task<StoreResult> StoreAsync(
        NormalizedGrid grid,
        string departmentCode,
        string submissionId,
        string clientId,
        string warningsJson,
        DateTime receivedAtUtc,
        Func<GridRevision, StoreOutcome, AuditEntry>? audit,
        CancellationToken ct) =>
        committer.WriteAsync(Prepare(grid, departmentCode, submissionId, clientId, warningsJson, receivedAtUtc, audit), ct);

    /// <summary>The write of a validated grid, ready for <see cref="GridCommitter"/>.</summary>
    public static GridWrite Prepare(
        NormalizedGrid grid,
        string departmentCode,
        string submissionId,
        string clientId,
        string warningsJson,
        DateTime receivedAtUtc,
        Func<GridRevision, StoreOutcome, AuditEntry>? audit) =>
        new(
            new GridRevision
            {
                PostId = grid.PostId,
                Period = grid.Period.ToString(),
                PeriodKind = grid.Period.Kind,
                PeriodStart = grid.Period.Start,
                PeriodEnd = grid.Period.End,
                Revision = 0,
                DepartmentCode = departmentCode,
                SchemaVersion = grid.Schema.Version,
                ClientId = clientId,
                SubmissionId = submissionId,
                ContentHash = grid.ContentHash,
                ReceivedAtUtc = ToStoredPrecision(receivedAtUtc),
                Comment = grid.Comment,
                Cells = grid.Schema.Layout.Encode(grid.Cells),
                WarningsJson = warningsJson,
            },
            submissionId,
            audit);

    /// <summary>
    /// One grid's write inside the committer's transaction: a replay or a submission id reused for other content
    /// writes nothing; the content of the current revision records the submission only; otherwise the next number is
    /// written, and becomes the current revision. Sees the grids written before it in the same batch.
    /// </summary>
    internal static async Task<StoreResult> WriteOneAsync(ObservatoireDbContext db, GridWrite write, CancellationToken ct)
    {
        var draft = write.Draft;
        var previous = await db.Submissions.AsNoTracking()
            .Include(s => s.GridRevision)
            .FirstOrDefaultAsync(s => s.SubmissionId == write.SubmissionId, ct);
        if (previous is not null)
        {
            var sameContent = previous.ContentHash == draft.ContentHash && previous.PostId == draft.PostId && previous.Period == draft.Period;
            return new StoreResult(sameContent ? StoreOutcome.Replayed : StoreOutcome.SubmissionIdConflict, previous.GridRevision);
        }

        // The current revision is the highest: read through the unique index on (post, period, revision).
        var current = await db.GridRevisions
            .Where(g => g.PostId == draft.PostId && g.Period == draft.Period)
            .OrderByDescending(g => g.Revision)
            .FirstOrDefaultAsync(ct);
        var submission = SubmissionOf(write);

        if (current is not null && current.ContentHash == draft.ContentHash)
        {
            submission.GridRevisionId = current.Id;
            db.Submissions.Add(submission);
            AddAudit(db, write.Audit, current, StoreOutcome.SameAsCurrent);
            await db.SaveChangesAsync(ct);
            return new StoreResult(StoreOutcome.SameAsCurrent, current);
        }

        // A copy: a write that loses a race with another server is tried again from the untouched draft. The next number
        // makes it current; the one it follows stays as it was.
        var revision = Copy(draft);
        revision.Revision = current is null ? 1 : current.Revision + 1;
        submission.GridRevision = revision;
        db.GridRevisions.Add(revision);
        db.Submissions.Add(submission);
        AddAudit(db, write.Audit, revision, StoreOutcome.Created);
        await db.SaveChangesAsync(ct);
        return new StoreResult(StoreOutcome.Created, revision);
    }

    /// <summary>
    /// The instant as every engine stores it (PostgreSQL keeps microseconds): the first answer and a replay, read
    /// back from the database, then tell the same time.
    /// </summary>
    public static DateTime ToStoredPrecision(DateTime utc) => utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));

    /// <summary>The record of an accepted submission id (its revision is set by the caller).</summary>
    internal static Submission SubmissionOf(GridWrite write) => new()
    {
        SubmissionId = write.SubmissionId,
        PostId = write.Draft.PostId,
        Period = write.Draft.Period,
        ContentHash = write.Draft.ContentHash,
        ClientId = write.Draft.ClientId,
        ReceivedAtUtc = write.Draft.ReceivedAtUtc,
    };

    internal static GridRevision Copy(GridRevision d) => new()
    {
        PostId = d.PostId,
        Period = d.Period,
        PeriodKind = d.PeriodKind,
        PeriodStart = d.PeriodStart,
        PeriodEnd = d.PeriodEnd,
        Revision = d.Revision,
        DepartmentCode = d.DepartmentCode,
        SchemaVersion = d.SchemaVersion,
        ClientId = d.ClientId,
        SubmissionId = d.SubmissionId,
        ContentHash = d.ContentHash,
        ReceivedAtUtc = d.ReceivedAtUtc,
        Comment = d.Comment,
        Cells = d.Cells,
        WarningsJson = d.WarningsJson,
        ChangeId = d.ChangeId,
    };

    internal static void AddAudit(ObservatoireDbContext db, Func<GridRevision, StoreOutcome, AuditEntry>? audit, GridRevision revision, StoreOutcome outcome)
    {
        if (audit?.Invoke(revision, outcome) is { } entry)
        {
            db.AuditEntries.Add(entry);
        }
    }

    /// <summary>The current revision (revision 0) or a given one, with whether it is the current one; or null.</summary>
    public async Task<StoredRevision?> GetAsync(string postId, string period, int revision, CancellationToken ct)
    {
        var grid = db.GridRevisions.AsNoTracking().Where(g => g.PostId == postId && g.Period == period);
        var chosen = revision == 0 ? grid.OrderByDescending(g => g.Revision) : grid.Where(g => g.Revision == revision);
        var found = await chosen
            .Select(g => new { Revision = g, Later = grid.Any(later => later.Revision > g.Revision) })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : new StoredRevision(found.Revision, !found.Later);
    }

    /// <summary>Every revision of a post's grid for a period, oldest first.</summary>
    public async Task<IReadOnlyList<GridRevision>> ListRevisionsAsync(string postId, string period, CancellationToken ct) =>
        await db.GridRevisions.AsNoTracking()
            .Where(g => g.PostId == postId && g.Period == period)
            .OrderBy(g => g.Revision)
            .ToListAsync(ct);
}

/// <summary>A stored revision, and whether it is its grid's current one (the highest number).</summary>
public sealed record StoredRevision(GridRevision Revision, bool IsCurrent);

/// <summary>
/// The process-wide write lock (register as a singleton). <see cref="GridCommitter"/>'s batches and registry edits hold it
/// for their transaction; the server's other writes take a turn on it where the database has one writer at a time
/// (<see cref="IStorageDialect.OneWriterAtATime"/>), so that they wait in line rather than poll.
/// </summary>
public sealed class GridStoreLock(IStorageDialect dialect)
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);

    /// <summary>
    /// Waits for the writers before this one where the database has one writer at a time (elsewhere at once); dispose the
    /// turn when the write has committed. Not for a caller that already holds <see cref="Semaphore"/>: it is not reentrant.
    /// </summary>
    public async ValueTask<WriteTurn> TakeTurnAsync(CancellationToken ct)
    {
        if (!dialect.OneWriterAtATime)
        {
            return default;
        }

        await Semaphore.WaitAsync(ct);
        return new WriteTurn(Semaphore);
    }
}

/// <summary>A turn to write taken by <see cref="GridStoreLock.TakeTurnAsync"/>: disposing it lets the next writer in.</summary>
public readonly struct WriteTurn(SemaphoreSlim? taken) : IDisposable
{
    public void Dispose() => taken?.Release();
}
