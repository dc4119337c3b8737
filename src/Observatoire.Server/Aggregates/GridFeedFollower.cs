using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Aggregates;

/// <summary>
/// Keeps this instance's in-memory cube up to date with the grids that other instances store in the same
/// PostgreSQL database. Before a call is served, one index lookup reads the latest change id of the feed
/// (<see cref="GridChangeFeed"/>); when another instance committed since, the revisions above the last change
/// applied are read (by change id, never the whole table) and applied to the cube. On SQLite the server is the
/// only writer and applies its own grids as it stores them: nothing to follow.
/// </summary>
internal sealed partial class GridFeedFollower(
    ObservatoireDatabase database,
    IServiceScopeFactory scopes,
    ConsolidationState consolidation,
    SchemaCatalog catalog,
    ILogger<GridFeedFollower> logger)
{
    /// <summary>Changes (batches of at most <see cref="GridCommitter.MaxBatch"/> grids) read per round trip while catching up.</summary>
    public const int ChangesPerRead = 16;

    private readonly SemaphoreSlim _one = new(1, 1);
    private long _applied;

    /// <summary>The last change id applied to the cube.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Whether there is anything to follow (several instances can share the database).</summary>
    public bool Enabled => !database.IsSqlite;

    /// <summary>Called by the loader: the cube holds every change up to <paramref name="changeId"/>.</summary>
    public void Loaded(long changeId) => Interlocked.Exchange(ref _applied, changeId);

    /// <summary>Applies the changes committed by any instance since the last call; returns how many revisions were applied.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        if (!Enabled)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var latest = await GridChangeFeed.LatestAsync(db, ct);
        if (latest <= Applied)
        {
            return 0;
        }

        // One follower at a time; a caller that waited finds the work done by the one before.
        await _one.WaitAsync(ct);
        try
        {
            var applied = 0;
            while (Applied < latest)
            {
                // Whole changes only: a batch's revisions share its change id.
                var upTo = Math.Min(latest, Applied + ChangesPerRead);
                foreach (var revision in await GridChangeFeed.BetweenAsync(db, Applied, upTo, ct))
                {
                    applied += Apply(revision) ? 1 : 0;
                }

                Interlocked.Exchange(ref _applied, upTo);
            }

            if (applied > 0)
            {
                LogCaughtUp(logger, applied, Applied);
            }

            return applied;
        }
        finally
        {
            _one.Release();
        }
    }

    private bool Apply(Data.Entities.GridRevision revision)
    {
        var period = Period.Parse(revision.Period);

        // This instance's own grids are already in the cube (applied as stored): a rewrite would only empty caches.
        if (consolidation.Cube.Find(revision.PostId, period) is { } known && known.Revision >= revision.Revision)
        {
            return false;
        }

        var schema = catalog.Find(revision.SchemaVersion)
            ?? throw new InvalidDataException($"Grid {revision.PostId} {revision.Period} uses unknown schema version {revision.SchemaVersion}.");
        consolidation.Cube.Apply(new CubeGrid(
            revision.PostId,
            period,
            revision.SchemaVersion,
            schema.Layout.Decode(revision.Cells),
            revision.Revision,
            revision.ReceivedAtUtc,
            revision.ReceivedAtUtc));
        return true;
    }

    [LoggerMessage(EventId = 25, Level = LogLevel.Debug, Message = "{Count} grids stored by other instances applied, feed at change {ChangeId}")]
    private static partial void LogCaughtUp(ILogger logger, int count, long changeId);
}
