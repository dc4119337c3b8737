using System.Collections.Concurrent;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Data;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Aggregates;

/// <summary>
/// Keeps this instance's in-memory figures and registry up to date with what other instances store in the same
/// PostgreSQL database. Before a call is served, one round trip reads the feed's position (<see cref="ChangeFeed"/>):
/// the latest grid change id and the registry's version. When another instance committed grids since, the revisions
/// above the last change applied are read (by change id, never the whole table) and applied to the cube; when the
/// registry's version moved, the registry is read again, before the grids (a grid may be of a post just added). On
/// SQLite the server is the only writer and applies its own changes as it stores them: nothing to follow. Every
/// registry reload of the instance, its own changes' included, goes through here, one at a time.
/// <para>
/// This instance's own changes are not read back: its writer tells it each change id it committed
/// (<see cref="IGridCommitObserver"/>), whose grids its callers put in the cube themselves before they are acknowledged,
/// and the follower steps over those ids. An own change it hears of too late (its notification came first) is read and
/// found already known, as before.
/// </para>
/// </summary>
internal sealed partial class GridFeedFollower(
    ObservatoireDatabase database,
    IServiceScopeFactory scopes,
    ConsolidationState consolidation,
    SchemaCatalog catalog,
    ILogger<GridFeedFollower> logger) : IGridCommitObserver
{
    /// <summary>Changes (batches of at most <see cref="GridCommitter.MaxBatch"/> grids) read per round trip while catching up.</summary>
    public const int ChangesPerRead = 16;

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ConcurrentDictionary<long, bool> _own = new();
    private long _applied;
    private long _ownSkipped;
    private long _read;
    private long _registry;
    private volatile UnknownGridVersionException? _blocked;

    /// <summary>The last change id applied to the cube.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Whether there is anything to follow (several instances can share the database).</summary>
    public bool Enabled => !database.IsSqlite;

    /// <summary>
    /// Set once the feed holds a grid of a version this instance does not know: it cannot apply that grid nor any after
    /// it until it is restarted with the grid folder, so the health service says NOT_SERVING with this message and a
    /// load balancer sends the calls to the other instances.
    /// </summary>
    public UnknownGridVersionException? Blocked => _blocked;

    /// <summary>Changes of this instance's own writer stepped over without reading them back.</summary>
    public long OwnChangesSkipped => Interlocked.Read(ref _ownSkipped);

    /// <summary>Revisions read from the feed (other instances' changes, and own ones heard of too late).</summary>
    public long RevisionsRead => Interlocked.Read(ref _read);

    /// <summary>The registry version the registry snapshot holds (at least).</summary>
    public long RegistryApplied => Interlocked.Read(ref _registry);

    /// <summary>Called by the loader: the cube and registry hold every change up to <paramref name="position"/>.</summary>
    public void Loaded(FeedPosition position)
    {
        Interlocked.Exchange(ref _applied, position.GridChange);
        Interlocked.Exchange(ref _registry, position.Registry);
    }

    /// <summary>
    /// From the writer, once its transaction has committed: the change's grids reach the cube through their callers,
    /// so the feed need not read them back.
    /// </summary>
    public void Committed(int grids, TimeSpan duration, long changeId)
    {
        if (Enabled && changeId > Applied)
        {
            _own.TryAdd(changeId, true);
        }
    }

    /// <summary>
    /// Reads the registry again and swaps it in (every cached table becomes stale): after a registry change of this
    /// instance, once committed, or when another instance's change is seen. One reload at a time, so that a slower
    /// reload never replaces a newer registry.
    /// </summary>
    public async Task ReloadRegistryAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await ReloadRegistryAsync(scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>(), ct);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Applies the changes committed by any instance since the last call; returns how many revisions were applied.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        if (!Enabled)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ObservatoireDbContext>();
        var position = await ChangeFeed.PositionAsync(db, ct);
        var latest = position.GridChange;
        if (latest <= Applied && position.Registry <= RegistryApplied)
        {
            return 0;
        }

        // One follower at a time; a caller that waited finds the work done by the one before.
        await _one.WaitAsync(ct);
        try
        {
            if (position.Registry > RegistryApplied)
            {
                await ReloadRegistryAsync(db, ct);
            }

            var applied = 0;
            while (Applied < latest)
            {
                if (_own.TryRemove(Applied + 1, out _))
                {
                    Interlocked.Increment(ref _ownSkipped);
                    Interlocked.Increment(ref _applied);
                    continue;
                }

                // Whole changes only: a batch's revisions share its change id.
                var upTo = Math.Min(latest, Applied + ChangesPerRead);
                var own = _own.Keys.Where(id => id > Applied && id <= upTo).ToArray();
                var revisions = await GridChangeFeed.BetweenAsync(db, Applied, upTo, own, ct);
                Interlocked.Add(ref _read, revisions.Count);
                foreach (var revision in revisions)
                {
                    applied += Apply(revision) ? 1 : 0;
                }

                foreach (var id in own)
                {
                    _own.TryRemove(id, out _);
                }

                Interlocked.Add(ref _ownSkipped, own.Length);
                Interlocked.Exchange(ref _applied, upTo);
            }

            // An own change heard of after it was read (its notification came first) is forgotten.
            foreach (var id in _own.Keys.Where(id => id <= Applied))
            {
                _own.TryRemove(id, out _);
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

    /// <summary>Under <see cref="_one"/>: the version is read before the registry, which is therefore at least as new.</summary>
    private async Task ReloadRegistryAsync(ObservatoireDbContext db, CancellationToken ct)
    {
        var version = (await ChangeFeed.PositionAsync(db, ct)).Registry;
        consolidation.ReplaceRegistry(await ConsolidationLoader.LoadRegistryAsync(db, ct));
        if (version > RegistryApplied)
        {
            Interlocked.Exchange(ref _registry, version);
        }

        LogRegistryReloaded(logger, version);
    }

    private bool Apply(Data.Entities.GridRevision revision)
    {
        var period = Period.Parse(revision.Period);

        // This instance's own grids are already in the cube (applied as stored): a rewrite would only empty caches.
        if (consolidation.Cube.Find(revision.PostId, period) is { } known && known.Revision >= revision.Revision)
        {
            return false;
        }

        if (catalog.Find(revision.SchemaVersion) is not { } schema)
        {
            throw _blocked ??= new UnknownGridVersionException(revision.SchemaVersion);
        }

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

    [LoggerMessage(EventId = 26, Level = LogLevel.Debug, Message = "Registry read again at version {Version}")]
    private static partial void LogRegistryReloaded(ILogger logger, long version);
}
