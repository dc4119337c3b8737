namespace Observatoire.Core.Disclosure;

/// <summary>What a reader knows of a cell before any suppression.</summary>
public enum CellKind
{
    /// <summary>A count that may be suppressed (below the national level, with data).</summary>
    Protectable,

    /// <summary>Known to every reader whatever we do: a national figure, or a structural zero (an area without data).</summary>
    Known,

    /// <summary>Never published and without a value (a distinct-person count that cannot be derived, or an unused slot).</summary>
    Unknown,
}

/// <summary>A parent coordinate and the coordinates that add up to it (one level of a hierarchy).</summary>
public sealed record Family(int Parent, IReadOnlyList<int> Children);

/// <summary>
/// One classification of a linked table (geography, time or the indicator's cells) as coordinates and the
/// families that add up. A coordinate is a child in at most one family.
/// </summary>
public sealed class TableDimension
{
    private readonly int[] _parentFamily;
    private readonly List<int>[] _childFamilies;

    public TableDimension(int count, IReadOnlyList<Family> families)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(families);
        Count = count;
        Families = families;
        _parentFamily = new int[count];
        Array.Fill(_parentFamily, -1);
        _childFamilies = new List<int>[count];
        for (var i = 0; i < count; i++)
        {
            _childFamilies[i] = [];
        }

        for (var f = 0; f < families.Count; f++)
        {
            var family = families[f];
            if ((uint)family.Parent >= (uint)count || family.Children.Any(c => (uint)c >= (uint)count || c == family.Parent))
            {
                throw new ArgumentException($"Family {f} refers to a coordinate outside 0..{count - 1}.", nameof(families));
            }

            _childFamilies[family.Parent].Add(f);
            foreach (var child in family.Children)
            {
                if (_parentFamily[child] >= 0)
                {
                    throw new ArgumentException($"Coordinate {child} is a child in two families.", nameof(families));
                }

                _parentFamily[child] = f;
            }
        }
    }

    public int Count { get; }

    public IReadOnlyList<Family> Families { get; }

    /// <summary>The family in which the coordinate is a child, or -1 for a root.</summary>
    public int ParentFamilyOf(int coordinate) => _parentFamily[coordinate];

    /// <summary>The families the coordinate is the parent of.</summary>
    public IReadOnlyList<int> ChildFamiliesOf(int coordinate) => _childFamilies[coordinate];

    /// <summary>Depth in its hierarchy (0 for a root), to plan from the top down.</summary>
    public int Depth(int coordinate)
    {
        var depth = 0;
        for (var f = _parentFamily[coordinate]; f >= 0; f = _parentFamily[Families[f].Parent])
        {
            depth++;
        }

        return depth;
    }
}

/// <summary>How an additive relation is known to a reader.</summary>
public enum RelationKind
{
    /// <summary>The parent equals the sum of its children.</summary>
    Equality,

    /// <summary>The parent is at least the sum of its children (contributions seen only at the parent's level, such as quarterly posts in a quarter).</summary>
    AtLeast,

    /// <summary>The parent is at most the sum of its children.</summary>
    AtMost,
}

/// <summary>parent - sum(children), as a reader knows it: equal to zero, or only its sign.</summary>
public sealed record Relation(int Parent, int[] Children, RelationKind Kind);

/// <summary>
/// The linked table of one indicator and one year that a reader can combine: every area (nation, regions,
/// departments) by every time slot (months, quarters, year) by every cell of the indicator, with every
/// additive relation between them. Cell (g, t, c) has index (g * time + t) * cells + c.
/// </summary>
public sealed class LinkedTable
{
    private readonly int[][] _relationsOfCell;

    /// <param name="geography">Areas; families: a region and its departments, the nation and its regions.</param>
    /// <param name="timeFamilies">Time slots, with the families that hold for a cell of the indicator (by breakdown coordinate).</param>
    /// <param name="cells">The indicator's cells; families: a total and each breakdown that adds up to it.</param>
    /// <param name="values">One value per cell (null for an <see cref="CellKind.Unknown"/> cell).</param>
    /// <param name="kinds">One kind per cell.</param>
    public LinkedTable(TableDimension geography, IReadOnlyList<TableDimension> timeFamilies, TableDimension cells, IReadOnlyList<long?> values, IReadOnlyList<CellKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(geography);
        ArgumentNullException.ThrowIfNull(timeFamilies);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(kinds);
        if (timeFamilies.Count != cells.Count || timeFamilies.Any(t => t.Count != timeFamilies[0].Count))
        {
            throw new ArgumentException("One time dimension per cell coordinate, all with the same slots.", nameof(timeFamilies));
        }

        Geography = geography;
        TimeOf = timeFamilies;
        Cells = cells;
        TimeCount = timeFamilies[0].Count;
        Size = geography.Count * TimeCount * cells.Count;
        if (values.Count != Size || kinds.Count != Size)
        {
            throw new ArgumentException($"The table has {Size} cells.", nameof(values));
        }

        Values = values;
        Kinds = kinds;
        for (var i = 0; i < Size; i++)
        {
            if ((values[i] is null) != (kinds[i] == CellKind.Unknown) || values[i] < 0)
            {
                throw new ArgumentException($"Cell {i}: a value is required, non-negative, exactly when the cell is not unknown.", nameof(values));
            }
        }

        Relations = BuildRelations();
        var lists = new List<int>[Size];
        for (var r = 0; r < Relations.Count; r++)
        {
            (lists[Relations[r].Parent] ??= []).Add(r);
            foreach (var child in Relations[r].Children)
            {
                (lists[child] ??= []).Add(r);
            }
        }

        _relationsOfCell = [.. lists.Select(l => l is null ? [] : l.ToArray())];
    }

    public TableDimension Geography { get; }

    /// <summary>The time dimension that applies to each cell coordinate (it depends on the cell's aggregation).</summary>
    public IReadOnlyList<TableDimension> TimeOf { get; }

    public TableDimension Cells { get; }

    public int TimeCount { get; }

    public int Size { get; }

    public IReadOnlyList<long?> Values { get; }

    public IReadOnlyList<CellKind> Kinds { get; }

    public IReadOnlyList<Relation> Relations { get; }

    public int Index(int area, int time, int cell) => (area * TimeCount + time) * Cells.Count + cell;

    public (int Area, int Time, int Cell) Coordinates(int index)
    {
        var cell = index % Cells.Count;
        var rest = index / Cells.Count;
        return (rest / TimeCount, rest % TimeCount, cell);
    }

    public IReadOnlyList<int> RelationsOf(int index) => _relationsOfCell[index];

    /// <summary>parent - sum(children) at the true values, or null when an unknown cell takes part.</summary>
    public long? Residual(Relation relation)
    {
        ArgumentNullException.ThrowIfNull(relation);
        return ResidualOf(relation.Parent, relation.Children);
    }

    private List<Relation> BuildRelations()
    {
        var relations = new List<Relation>();
        for (var t = 0; t < TimeCount; t++)
        {
            for (var c = 0; c < Cells.Count; c++)
            {
                foreach (var family in Geography.Families)
                {
                    Add(Index(family.Parent, t, c), [.. family.Children.Select(g => Index(g, t, c))]);
                }
            }
        }

        for (var g = 0; g < Geography.Count; g++)
        {
            for (var c = 0; c < Cells.Count; c++)
            {
                foreach (var family in TimeOf[c].Families)
                {
                    Add(Index(g, family.Parent, c), [.. family.Children.Select(t => Index(g, t, c))]);
                }
            }

            for (var t = 0; t < TimeCount; t++)
            {
                foreach (var family in Cells.Families)
                {
                    Add(Index(g, t, family.Parent), [.. family.Children.Select(c => Index(g, t, c))]);
                }
            }
        }

        return WithoutVacuous(relations);

        void Add(int parent, int[] children)
        {
            if (Kinds[parent] == CellKind.Unknown && children.All(i => Kinds[i] == CellKind.Unknown))
            {
                return;
            }

            // A reader who knows the true relation only by its sign (contributions seen at one level only) gets an
            // inequality; one whose residual is zero is assumed to know the equality, the stronger attacker.
            var residual = ResidualOf(parent, children);
            var kind = residual is null or 0 ? RelationKind.Equality : residual > 0 ? RelationKind.AtLeast : RelationKind.AtMost;
            relations.Add(new Relation(parent, children, kind));
        }
    }

    /// <summary>
    /// The relations a reader can use: one whose total is unknown (never published, without a value) and takes part in
    /// no other relation says nothing (that total is free, and a sum of counts is never negative), so it is dropped;
    /// dropping it may free the unknown totals of its own children, and so on up (a region's exact distinct count of a
    /// quarter is unknown when one of its departments' is, and so the nation's). Kept, such a relation pinned every
    /// area below that total: no move could keep an unknown cell still.
    /// </summary>
    private List<Relation> WithoutVacuous(List<Relation> relations)
    {
        var uses = new Dictionary<int, int>();
        foreach (var relation in relations)
        {
            foreach (var cell in relation.Children.Append(relation.Parent).Where(c => Kinds[c] == CellKind.Unknown))
            {
                uses[cell] = uses.GetValueOrDefault(cell) + 1;
            }
        }

        var asParent = new Dictionary<int, int>();
        for (var r = 0; r < relations.Count; r++)
        {
            if (Kinds[relations[r].Parent] == CellKind.Unknown)
            {
                asParent[relations[r].Parent] = r;
            }
        }

        var dropped = new bool[relations.Count];
        var queue = new Queue<int>(asParent.Where(p => uses[p.Key] == 1).Select(p => p.Value).Order());
        while (queue.TryDequeue(out var r))
        {
            dropped[r] = true;
            foreach (var child in relations[r].Children.Where(c => Kinds[c] == CellKind.Unknown))
            {
                if (--uses[child] == 1 && asParent.TryGetValue(child, out var own) && !dropped[own])
                {
                    queue.Enqueue(own);
                }
            }
        }

        return [.. relations.Where((_, r) => !dropped[r])];
    }

    private long? ResidualOf(int parent, int[] children)
    {
        if (Values[parent] is not { } total)
        {
            return null;
        }

        foreach (var child in children)
        {
            if (Values[child] is not { } v)
            {
                return null;
            }

            total -= v;
        }

        return total;
    }
}
