using System.Collections.Concurrent;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Consolidation;

/// <summary>The current revision of one post's grid for one period, as consolidation reads it.</summary>
/// <param name="Cells">Dense cell vector in the layout of <paramref name="SchemaVersion"/>.</param>
/// <param name="FirstReceivedUtc">When the first revision arrived: timeliness is judged on it, not on corrections.</param>
public sealed record CubeGrid(
    string PostId,
    Period Period,
    string SchemaVersion,
    int[] Cells,
    int Revision,
    DateTime FirstReceivedUtc,
    DateTime ReceivedUtc);

/// <summary>
/// Every current grid in memory, indexed by post and period. Accepted submissions are applied as
/// they are stored, so the next query sees them; readers work on immutable per-post lists and never
/// block the writer. Ten years of 600 monthly posts is about 72,000 grids, some 25 MB.
/// </summary>
public sealed class GridCube
{
    private readonly ConcurrentDictionary<string, PostGrids> _byPost = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _yearVersions = new();
    private readonly ConcurrentDictionary<Period, long> _periodVersions = new();
    private readonly List<Change> _changes = [];
    private readonly Lock _writeLock = new();
    private long _version;
    private long _invalidatedAt;

    // Changes older than this version are no longer in the log: a table that old is rebuilt, not updated.
    private long _logFloor;

    /// <summary>Changes kept for <see cref="TryChangesSince"/>: the oldest half is dropped beyond this.</summary>
    public const int ChangeLogCapacity = 16_384;

    /// <summary>Increases with every change: a cache key for derived tables.</summary>
    public long Version => Interlocked.Read(ref _version);

    public int Count => _byPost.Values.Sum(p => p.Count);

    /// <summary>Adds or replaces a post's grid for a period, keeping the first reception time of earlier revisions.</summary>
    public void Apply(CubeGrid grid)
    {
        lock (_writeLock)
        {
            var grids = _byPost.GetValueOrDefault(grid.PostId) ?? PostGrids.Empty;
            if (grids.Find(grid.Period) is { } existing)
            {
                if (existing.Revision > grid.Revision)
                {
                    return;
                }

                var first = existing.FirstReceivedUtc < grid.FirstReceivedUtc ? existing.FirstReceivedUtc : grid.FirstReceivedUtc;
                grid = grid with { FirstReceivedUtc = first };
            }

            _byPost[grid.PostId] = grids.With(grid);
            var version = Interlocked.Increment(ref _version);
            for (var year = grid.Period.Start.Year; year <= grid.Period.End.Year; year++)
            {
                _yearVersions[year] = version;
            }

            // A post's figures for a period come from its grids inside it: the grid's own period and those above it change.
            foreach (var period in Enclosing(grid.Period))
            {
                _periodVersions[period] = version;
            }

            if (_changes.Count >= ChangeLogCapacity)
            {
                _logFloor = _changes[(ChangeLogCapacity / 2) - 1].Version;
                _changes.RemoveRange(0, ChangeLogCapacity / 2);
            }

            _changes.Add(new Change(version, grid.PostId, grid.Period));
        }
    }

    /// <summary>The periods of the calendar whose figures a grid of <paramref name="period"/> enters: itself, its quarter, its year.</summary>
    public static IEnumerable<Period> Enclosing(Period period)
    {
        yield return period;
        if (period.Kind == PeriodKind.Month)
        {
            yield return Period.Quarter(period.Year, ((period.Index - 1) / 3) + 1);
        }

        if (period.Kind != PeriodKind.Year)
        {
            yield return Period.OfYear(period.Year);
        }
    }

    /// <summary>The version of the last change that can alter a figure of the period (a grid inside it, or the registry).</summary>
    public long VersionOf(Period period) =>
        Math.Max(Interlocked.Read(ref _invalidatedAt), _periodVersions.TryGetValue(period, out var version) ? version : 0);

    /// <summary>
    /// The posts whose grids inside <paramref name="period"/> changed after <paramref name="since"/>, up to the version
    /// returned in <paramref name="now"/>: what a table of the period computed at <paramref name="since"/> must recompute
    /// to be that of <paramref name="now"/>. False when the log no longer reaches back that far or the registry changed
    /// since: the table must be computed again in full.
    /// </summary>
    public bool TryChangesSince(long since, Period period, ISet<string> posts, out long now)
    {
        ArgumentNullException.ThrowIfNull(posts);
        lock (_writeLock)
        {
            now = _version;
            if (since < _logFloor || since < _invalidatedAt)
            {
                return false;
            }

            // The log is in version order: find the first change after `since`, then keep those inside the period.
            var lo = 0;
            var hi = _changes.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_changes[mid].Version <= since)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            for (var i = lo; i < _changes.Count; i++)
            {
                if (period.Contains(_changes[i].Period))
                {
                    posts.Add(_changes[i].PostId);
                }
            }

            return true;
        }
    }

    /// <summary>Marks every derived table stale without changing a grid (the registry changed).</summary>
    public void Invalidate()
    {
        lock (_writeLock)
        {
            Interlocked.Exchange(ref _invalidatedAt, Interlocked.Increment(ref _version));
        }
    }

    /// <summary>The years some grid covers, newest first.</summary>
    public IReadOnlyList<int> Years => [.. _yearVersions.Keys.OrderDescending()];

    /// <summary>The version of the last change that can alter a figure of the year (a grid of it, or the registry).</summary>
    public long VersionOf(int year) =>
        Math.Max(Interlocked.Read(ref _invalidatedAt), _yearVersions.TryGetValue(year, out var version) ? version : 0);

    /// <summary>
    /// A copy that no later change reaches, at this cube's current version: the per-post lists are immutable, so it
    /// shares them and costs one small dictionary. Derived tables computed from it agree with one another.
    /// </summary>
    public GridCube Freeze()
    {
        lock (_writeLock)
        {
            // No change log: a table of a frozen cube is computed in full, once.
            var frozen = new GridCube { _version = _version, _invalidatedAt = _invalidatedAt, _logFloor = _version };
            foreach (var (post, grids) in _byPost)
            {
                frozen._byPost[post] = grids;
            }

            foreach (var (year, version) in _yearVersions)
            {
                frozen._yearVersions[year] = version;
            }

            foreach (var (period, version) in _periodVersions)
            {
                frozen._periodVersions[period] = version;
            }

            return frozen;
        }
    }

    /// <summary>The post's grid for exactly this period, if any.</summary>
    public CubeGrid? Find(string postId, Period period) =>
        _byPost.TryGetValue(postId, out var grids) ? grids.Find(period) : null;

    /// <summary>All current grids of a post, in period order (an immutable snapshot: nothing is copied, later changes are not seen).</summary>
    public IEnumerable<CubeGrid> GridsOf(string postId) =>
        _byPost.TryGetValue(postId, out var grids) ? grids.All : [];

    private readonly record struct Change(long Version, string PostId, Period Period);
}
