using System.Collections.Concurrent;
using System.Collections.Immutable;
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
/// they are stored, so the next query sees them; readers work on immutable per-post maps and never
/// block the writer. Ten years of 600 monthly posts is about 72,000 grids, some 25 MB.
/// </summary>
public sealed class GridCube
{
    private readonly ConcurrentDictionary<string, ImmutableSortedDictionary<Period, CubeGrid>> _byPost = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _yearVersions = new();
    private readonly Lock _writeLock = new();
    private long _version;
    private long _invalidatedAt;

    /// <summary>Increases with every change: a cache key for derived tables.</summary>
    public long Version => Interlocked.Read(ref _version);

    public int Count => _byPost.Values.Sum(p => p.Count);

    /// <summary>Adds or replaces a post's grid for a period, keeping the first reception time of earlier revisions.</summary>
    public void Apply(CubeGrid grid)
    {
        lock (_writeLock)
        {
            var grids = _byPost.GetValueOrDefault(grid.PostId) ?? ImmutableSortedDictionary<Period, CubeGrid>.Empty;
            if (grids.TryGetValue(grid.Period, out var existing))
            {
                if (existing.Revision > grid.Revision)
                {
                    return;
                }

                var first = existing.FirstReceivedUtc < grid.FirstReceivedUtc ? existing.FirstReceivedUtc : grid.FirstReceivedUtc;
                grid = grid with { FirstReceivedUtc = first };
            }

            _byPost[grid.PostId] = grids.SetItem(grid.Period, grid);
            var version = Interlocked.Increment(ref _version);
            for (var year = grid.Period.Start.Year; year <= grid.Period.End.Year; year++)
            {
                _yearVersions[year] = version;
            }
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
    /// A copy that no later change reaches, at this cube's current version: the per-post maps are immutable, so it
    /// shares them and costs one small dictionary. Derived tables computed from it agree with one another.
    /// </summary>
    public GridCube Freeze()
    {
        lock (_writeLock)
        {
            var frozen = new GridCube { _version = _version, _invalidatedAt = _invalidatedAt };
            foreach (var (post, grids) in _byPost)
            {
                frozen._byPost[post] = grids;
            }

            foreach (var (year, version) in _yearVersions)
            {
                frozen._yearVersions[year] = version;
            }

            return frozen;
        }
    }

    /// <summary>The post's grid for exactly this period, if any.</summary>
    public CubeGrid? Find(string postId, Period period) =>
        _byPost.TryGetValue(postId, out var grids) && grids.TryGetValue(period, out var grid) ? grid : null;

    /// <summary>All current grids of a post, in period order.</summary>
    public IReadOnlyCollection<CubeGrid> GridsOf(string postId) =>
        _byPost.TryGetValue(postId, out var grids) ? [.. grids.Values] : [];
}
