namespace Observatoire.Core.Disclosure;

/// <summary>
/// The cells repeated in every area of a hierarchical table and the margins between them, in local
/// (per-area) cell indices.
/// </summary>
public sealed class AreaBreakdown
{
    public AreaBreakdown(int cellCount, IReadOnlyList<Margin> margins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellCount, 1);
        ArgumentNullException.ThrowIfNull(margins);
        foreach (var margin in margins)
        {
            ArgumentNullException.ThrowIfNull(margin);
            if (margin.Parts.Append(margin.Total).Any(c => (uint)c >= (uint)cellCount))
            {
                throw new ArgumentException($"A margin refers to a cell outside the {cellCount} cells of the breakdown.", nameof(margins));
            }
        }

        CellCount = cellCount;
        Margins = margins;
    }

    public int CellCount { get; }

    public IReadOnlyList<Margin> Margins { get; }

    /// <summary>Cell 0 is the total of cells 1 to <paramref name="parts"/> (e.g. 22 cells for a 3x7 sex x age breakdown).</summary>
    public static AreaBreakdown WithTotal(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        return new AreaBreakdown(parts + 1, [new Margin(0, Enumerable.Range(1, parts).ToArray())]);
    }

    /// <summary>
    /// A two-way breakdown with all its margins: (rows + 1) x (columns + 1) cells, row-major, where row 0 and
    /// column 0 hold the totals; cell (r, c) is r * (columns + 1) + c and cell 0 is the grand total.
    /// </summary>
    public static AreaBreakdown Cross(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var width = columns + 1;
        var margins = new List<Margin>();
        for (var r = 0; r <= rows; r++)
        {
            margins.Add(new Margin(r * width, Enumerable.Range(1, columns).Select(c => r * width + c).ToArray()));
        }

        for (var c = 0; c <= columns; c++)
        {
            margins.Add(new Margin(c, Enumerable.Range(1, rows).Select(r => r * width + c).ToArray()));
        }

        return new AreaBreakdown((rows + 1) * width, margins);
    }
}

/// <summary>
/// Lays out a table that crosses a tree of areas (e.g. departments, regions, nation) with one breakdown
/// repeated in every area, and builds its margins: the breakdown's margins inside every area, and for every
/// breakdown cell "an area equals the sum of its child areas".
/// </summary>
/// <remarks>Cell (area, local) has index area * breakdown.CellCount + local.</remarks>
public sealed class HierarchicalTableBuilder
{
    private readonly int[] _parents;

    /// <param name="parentOfArea">The parent of each area, or -1 for a root (the nation).</param>
    /// <param name="breakdown">The cells of every area.</param>
    public HierarchicalTableBuilder(IReadOnlyList<int> parentOfArea, AreaBreakdown breakdown)
    {
        ArgumentNullException.ThrowIfNull(parentOfArea);
        ArgumentNullException.ThrowIfNull(breakdown);
        _parents = parentOfArea.ToArray();
        for (var area = 0; area < _parents.Length; area++)
        {
            if (_parents[area] < -1 || _parents[area] >= _parents.Length || _parents[area] == area)
            {
                throw new ArgumentException($"Area {area} has an invalid parent {_parents[area]}.", nameof(parentOfArea));
            }

            // Walking up more steps than there are areas means a cycle.
            var ancestor = _parents[area];
            for (var steps = 0; ancestor >= 0; steps++, ancestor = _parents[ancestor])
            {
                if (steps >= _parents.Length)
                {
                    throw new ArgumentException($"Area {area} is in a cycle of parents.", nameof(parentOfArea));
                }
            }
        }

        Breakdown = breakdown;
        Margins = BuildMargins();
    }

    public AreaBreakdown Breakdown { get; }

    public int AreaCount => _parents.Length;

    public int CellCount => _parents.Length * Breakdown.CellCount;

    public IReadOnlyList<Margin> Margins { get; }

    public int CellIndex(int area, int local)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(area);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(area, AreaCount);
        ArgumentOutOfRangeException.ThrowIfNegative(local);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(local, Breakdown.CellCount);
        return area * Breakdown.CellCount + local;
    }

    /// <summary>A table from values and protectable flags given in cell index order.</summary>
    public DisclosureTable Build(IReadOnlyList<long?> values, IReadOnlyList<bool> protectable)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(protectable);
        if (values.Count != CellCount || protectable.Count != CellCount)
        {
            throw new ArgumentException($"The table has {CellCount} cells.");
        }

        return new DisclosureTable(values, protectable, Margins);
    }

    /// <summary>A table whose cells are protectable area by area (typically: every area but the nation).</summary>
    public DisclosureTable Build(IReadOnlyList<long?> values, Func<int, bool> isProtectableArea)
    {
        ArgumentNullException.ThrowIfNull(isProtectableArea);
        var protectable = new bool[CellCount];
        for (var area = 0; area < AreaCount; area++)
        {
            Array.Fill(protectable, isProtectableArea(area), area * Breakdown.CellCount, Breakdown.CellCount);
        }

        return Build(values, protectable);
    }

    private List<Margin> BuildMargins()
    {
        var width = Breakdown.CellCount;
        var margins = new List<Margin>();
        for (var area = 0; area < _parents.Length; area++)
        {
            foreach (var margin in Breakdown.Margins)
            {
                margins.Add(new Margin(area * width + margin.Total, margin.Parts.Select(p => area * width + p).ToArray()));
            }
        }

        var children = Enumerable.Range(0, _parents.Length).Where(a => _parents[a] >= 0).GroupBy(a => _parents[a]).OrderBy(g => g.Key);
        foreach (var family in children)
        {
            var members = family.ToArray();
            for (var local = 0; local < width; local++)
            {
                margins.Add(new Margin(family.Key * width + local, members.Select(c => c * width + local).ToArray()));
            }
        }

        return margins;
    }
}
