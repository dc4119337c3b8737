using System.Collections.ObjectModel;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// A post's current grids in period order, immutable: a change makes a new array. A post has at most a few hundred
/// grids (a month, a quarter and a year over a few decades), so a copy per change costs less than a tree's nodes, and
/// readers walk a plain array in order, or find a period by binary search.
/// </summary>
internal sealed class PostGrids
{
    public static readonly PostGrids Empty = new([]);

    private readonly CubeGrid[] _grids;

    private PostGrids(CubeGrid[] grids) => _grids = grids;

    public int Count => _grids.Length;

    /// <summary>Every grid, in period order (a read-only view: the array is shared by every snapshot that holds it).</summary>
    public ReadOnlyCollection<CubeGrid> All => Array.AsReadOnly(_grids);

    public CubeGrid? Find(Period period) => IndexOf(period) is >= 0 and var i ? _grids[i] : null;

    /// <summary>These grids with <paramref name="grid"/> added, or in place of the one of its period.</summary>
    public PostGrids With(CubeGrid grid)
    {
        var index = IndexOf(grid.Period);
        if (index >= 0)
        {
            var replaced = (CubeGrid[])_grids.Clone();
            replaced[index] = grid;
            return new PostGrids(replaced);
        }

        var at = ~index;
        var grown = new CubeGrid[_grids.Length + 1];
        Array.Copy(_grids, grown, at);
        grown[at] = grid;
        Array.Copy(_grids, at, grown, at + 1, _grids.Length - at);
        return new PostGrids(grown);
    }

    /// <summary>The index of the period's grid, or the bitwise complement of where it would go.</summary>
    private int IndexOf(Period period)
    {
        int low = 0, high = _grids.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = _grids[middle].Period.CompareTo(period);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }
}
