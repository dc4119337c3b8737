using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Data.Entities;

namespace Observatoire.Data;

/// <summary>A grid ready to be written: validated, hashed and encoded by its caller, outside the single writer.</summary>
/// <param name="Draft">The revision to add when the content is new; its number and currency are set by the writer.</param>
/// <param name="Audit">The audit line of the write, saved in the same transaction (not called for a replay).</param>
public sealed record GridWrite(
    GridRevision Draft,
    string SubmissionId,
    Func<GridRevision, StoreOutcome, AuditEntry>? Audit);

/// <summary>
/// Told of every transaction of the single writer, once it has committed: how many grids it held, how long it took
/// (commit included) and the change id of the revisions it wrote (0 when it wrote none: replays only).
/// </summary>
public interface IGridCommitObserver
{
    void Committed(int grids, TimeSpan duration, long changeId);
}

/// <summary>
/// Group commit: the single writer of grid revisions. Submissions waiting while a transaction commits are
/// written together in the next one, so a burst of clients costs one durable flush (synchronous=FULL) per
/// batch instead of one per grid. A batch is written together in a few statements; when any grid of it fails, the
/// batch is written again with each grid inside its own savepoint: the one that fails is rolled back alone and
/// reported to its caller, the others of the batch commit. A caller hears back only after the commit that
/// holds its grid. Register as a singleton; it opens a scope (and a context) per batch.
/// <para>
/// The process-wide lock orders the batches of one server; other servers on the same PostgreSQL database are
/// ordered by the database itself: the unique indexes on (post, period, revision) and on the submission id refuse a
/// second writer of the same number or id, and the grid that lost the race is written again
/// (from its savepoint, seeing what the winner committed), so no revision is lost or numbered twice. So that a
/// grid does not lose again and again to a server busy with the same post and period, a batch first takes the
/// database's locks of its (post, period) keys, in one order for every writer (<see cref="IStorageDialect.LockGridsAsync"/>).
/// </para>
/// </summary>
public sealed class GridCommitter : IAsyncDisposable
{
    /// <summary>
    /// At most this many grids in one transaction: large enough that the grids of a burst share the index pages they
    /// write and one flush (1,024 wrote a fifth less per grid than 256 at 64 streams), short enough that a batch
    /// commits within a fraction of a second. Readers never wait for it (SQLite's journal, PostgreSQL's versions).
    /// </summary>
    public const int MaxBatch = 1024;

    /// <summary>At most this many grids waiting for the writer: callers beyond wait for room (back-pressure).</summary>
    public const int MaxWaiting = 4096;

    /// <summary>A grid that loses this many races in a row with other servers fails (with the last conflict).</summary>
    public const int MaxConflictRetries = 8;

    private const string Savepoint = "grid";

    private readonly IServiceScopeFactory _scopes;
    private readonly GridStoreLock _writeLock;
    private readonly IStorageDialect _dialect;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxWaiting)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Task _loop;
    private readonly IGridCommitObserver[] _observers;
    private long _writtenTogether;

    public GridCommitter(IServiceScopeFactory scopes, GridStoreLock writeLock, IStorageDialect dialect, IEnumerable<IGridCommitObserver> observers)
    {
        _scopes = scopes;
        _writeLock = writeLock;
        _dialect = dialect;
        _observers = [.. observers];
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Batches written by the fast path, a few statements for the whole batch (the others went one grid per savepoint).</summary>
    public long BatchesWrittenTogether => Interlocked.Read(ref _writtenTogether);

    /// <summary>
    /// Queues the grid and completes once the transaction holding it has committed (or it failed). The token is heeded
    /// until the grid is queued, not after: once queued the write goes ahead, and its caller hears how it ended even if
    /// its own client has gone, so that what follows a commit (the live figures) is never skipped for a stored grid. The
    /// wait is bounded by the writer, which never waits for a client.
    /// </summary>
    public async Task<StoreResult> WriteAsync(GridWrite write, CancellationToken ct)
    {
        var pending = new Pending(write);
        await _queue.Writer.WriteAsync(pending, ct);
        return await pending.Done.Task;
    }

    /// <summary>Writes these grids as one batch (one transaction, a savepoint each) and returns each one's outcome.</summary>
    public async Task<IReadOnlyList<Task<StoreResult>>> WriteBatchAsync(IReadOnlyList<GridWrite> writes, CancellationToken ct)
    {
        var pending = writes.Select(w => new Pending(w)).ToList();
        await CommitAsync(pending, ct);
        return [.. pending.Select(p => p.Done.Task)];
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await CommitAsync(batch, CancellationToken.None);
        }
    }

    private async Task CommitAsync(IReadOnlyList<Pending> batch, CancellationToken ct)
    {
        var results = new StoreResult?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            await _writeLock.Semaphore.WaitAsync(ct);
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();

                long changeId;
                try
                {
                    changeId = await WriteInTransactionAsync(db, batch, results, failures, ct);
                }
                finally
                {
                    // The context is pooled: its next user gets EF Core's default back.
                    db.Database.AutoSavepointsEnabled = true;
                }

                var duration = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                foreach (var observer in _observers)
                {
                    observer.Committed(batch.Count, duration, changeId);
                }
            }
            finally
            {
                _writeLock.Semaphore.Release();
            }
        }
        catch (Exception e)
        {
            // Nothing of the batch committed: every grid of it fails with the cause.
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }

            return;
        }

        var committedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]! with { CommittedAt = committedAt });
            }
        }
    }

    /// <summary>
    /// The batch in one transaction, committed before it returns: together when it can (<see cref="GridBatchWriter"/>,
    /// a few statements for the whole batch, without a savepoint), else, when anything of it failed (a grid the
    /// database refuses, a race lost to another server), that transaction is undone whole and the batch written again
    /// in a new one, one grid per savepoint, so that only the failing grid fails.
    /// </summary>
    /// <remarks>
    /// No savepoint around the batch: SQLite keeps the pages a savepoint may have to restore in a journal of its own,
    /// which for a batch of hundreds of grids spilled to a temporary file (twice the bytes of the commit) or, in memory,
    /// was walked from its start at the end of every statement. Undoing the rare failed batch whole costs less.
    /// </remarks>
    /// <returns>The change id of the revisions written, 0 when none was.</returns>
    private async Task<long> WriteInTransactionAsync(ObservatoireDbContext db, IReadOnlyList<Pending> batch, StoreResult?[] results, Exception?[] failures, CancellationToken ct)
    {
        // Each grid of the slow way has its savepoint: EF Core's own one per SaveChanges would only add statements.
        db.Database.AutoSavepointsEnabled = false;
        await using (var together = await db.Database.BeginTransactionAsync(ct))
        {
            var begun = await BeginBatchAsync(db, batch, ct);
            if (await TryWriteTogetherAsync(db, batch, results, ct))
            {
                return await StampAndCommitAsync(db, together, begun, results, ct);
            }

            await together.RollbackAsync(ct);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changeId = await BeginBatchAsync(db, batch, ct);
        for (var i = 0; i < batch.Count; i++)
        {
            (results[i], failures[i]) = await WriteInSavepointAsync(db, transaction, batch[i].Write, ct);
        }

        return await StampAndCommitAsync(db, transaction, changeId, results, ct);
    }

    /// <summary>
    /// The first statements of a batch's transaction: the locks of its grids, and where the database has a single
    /// writer, the change id its revisions are inserted with (returned; else 0, and they are stamped before the commit).
    /// </summary>
    private async Task<long> BeginBatchAsync(ObservatoireDbContext db, IReadOnlyList<Pending> batch, CancellationToken ct)
    {
        await _dialect.LockGridsAsync(db, batch.Select(p => (p.Write.Draft.PostId, p.Write.Draft.Period)), ct);
        if (!_dialect.NumbersChangesAtInsert)
        {
            return 0;
        }

        var changeId = await GridChangeFeed.NextAsync(db, ct);
        foreach (var pending in batch)
        {
            pending.Write.Draft.ChangeId = changeId;
        }

        return changeId;
    }

    /// <summary>Commits; returns the change id of the revisions written (0 when none was), stamped here where it was not at insert.</summary>
    private async Task<long> StampAndCommitAsync(
        ObservatoireDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, long begun, StoreResult?[] results, CancellationToken ct)
    {
        var created = results.Where(r => r?.Outcome == StoreOutcome.Created).Select(r => r!.Revision).ToList();
        var changeId = created.Count == 0 ? 0 : begun;
        if (created.Count > 0 && !_dialect.NumbersChangesAtInsert)
        {
            changeId = await GridChangeFeed.StampAsync(db, _dialect, ct);
            foreach (var revision in created)
            {
                revision.ChangeId = changeId;
            }
        }

        await transaction.CommitAsync(ct);
        return changeId;
    }

    /// <summary>The whole batch in a few statements (<see cref="GridBatchWriter"/>); false when anything failed (the caller undoes the transaction).</summary>
    private async Task<bool> TryWriteTogetherAsync(ObservatoireDbContext db, IReadOnlyList<Pending> batch, StoreResult?[] results, CancellationToken ct)
    {
        // A batch of one goes this way too: its few plain statements cost less than EF Core's queries and change tracker.
        try
        {
            var written = await GridBatchWriter.WriteAsync(db, [.. batch.Select(p => p.Write)], ct);
            written.CopyTo(results, 0);
            Interlocked.Increment(ref _writtenTogether);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>One grid in its own savepoint, written again while it loses races with another server.</summary>
    private async Task<(StoreResult? Result, Exception? Failure)> WriteInSavepointAsync(
        ObservatoireDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, GridWrite write, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await transaction.CreateSavepointAsync(Savepoint, ct);
            try
            {
                var result = await GridStore.WriteOneAsync(db, write, ct);
                await transaction.ReleaseSavepointAsync(Savepoint, ct);
                return (result, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Only this grid is undone; a database that cannot roll back fails the whole batch.
                await transaction.RollbackToSavepointAsync(Savepoint, ct);
                await transaction.ReleaseSavepointAsync(Savepoint, ct);
                if (!_dialect.IsWriteConflict(e) || attempt >= MaxConflictRetries)
                {
                    return (null, e);
                }
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private sealed class Pending(GridWrite write)
    {
        public GridWrite Write { get; } = write;

        public TaskCompletionSource<StoreResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
