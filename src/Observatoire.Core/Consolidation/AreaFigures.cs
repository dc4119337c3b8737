using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Consolidation;

/// <summary>The state of one consolidated figure.</summary>
public enum FigureStatus
{
    /// <summary>Every expected grid contributed.</summary>
    Complete = 1,

    /// <summary>Some expected grids are missing (or cannot be split to this period): the value covers what was received.</summary>
    Partial = 2,

    /// <summary>A distinct-person count that cannot be derived from sub-periods.</summary>
    NotDerivable = 3,

    /// <summary>Nothing expected, nothing received.</summary>
    NoData = 4,
}

/// <summary>An expected grid that was not received.</summary>
public sealed record MissingGrid(string PostId, Period Period);

/// <summary>
/// The consolidated cells of one area for one period, in the layout of the schema covering the
/// period, with where they come from.
/// </summary>
public sealed partial class AreaFigures
{
    internal AreaFigures(AreaRef area, Period period, GridSchema schema)
    {
        Area = area;
        Period = period;
        Schema = schema;
        Values = new long[schema.Layout.Count];
        Derivable = new bool[schema.Layout.Count];
        Array.Fill(Derivable, true);
    }

    public AreaRef Area { get; }

    public Period Period { get; }

    public GridSchema Schema { get; }

    /// <summary>Consolidated value of each cell (meaningful only where <see cref="Derivable"/>).</summary>
    public long[] Values { get; }

    /// <summary>False for distinct-person cells that cannot be derived from the grids used.</summary>
    public bool[] Derivable { get; }

    /// <summary>Posts active in the area during the period.</summary>
    public int ExpectedPosts { get; internal set; }

    /// <summary>
    /// Posts active in the area during the period whose reporting frequency divides it (a monthly post in a month, a
    /// monthly or quarterly one in a quarter, every post in a year): the posts whose grids make the period whole.
    /// </summary>
    public int DuePosts { get; internal set; }

    /// <summary>Posts with at least one grid used.</summary>
    public int ContributingPosts { get; internal set; }

    /// <summary>Posts whose grids are coarser than the period (a quarterly post in a monthly figure).</summary>
    public int IncompatiblePosts { get; internal set; }

    public int GridsUsed { get; internal set; }

    public List<MissingGrid> Missing { get; } = [];

    /// <summary>Posts whose figures of the year come from their yearly bilan.</summary>
    public int YearlyBilans { get; internal set; }

    /// <summary>Yearly bilans owed and not received: the year's distinct-person figures lack these posts.</summary>
    public List<MissingGrid> MissingBilans { get; } = [];

    public SortedSet<string> SchemaVersions { get; } = new(StringComparer.Ordinal);

    /// <summary>Reception time of the newest grid used.</summary>
    public DateTime? DataAsOf { get; internal set; }

    /// <summary>Sum of the full-time equivalents of the expected posts.</summary>
    public double Fte { get; internal set; }

    public bool IsPartial => Missing.Count > 0 || IncompatiblePosts > 0;

    public bool HasData => ExpectedPosts > 0 || GridsUsed > 0;

    /// <summary>The state of a cell; without any grid it is no data, even where grids were expected (never a zero nobody reported).</summary>
    public FigureStatus StatusOf(int cell) =>
        GridsUsed == 0 ? FigureStatus.NoData
        : ValueOf(cell) is null ? FigureStatus.NotDerivable
        : IsPartial || (IsDistinct(cell) && MissingBilans.Count > 0) ? FigureStatus.Partial
        : FigureStatus.Complete;

    /// <summary>The value when it can be stated (derivable, with data, from at least one bilan when bilans are owed), else null.</summary>
    public long? ValueOf(int cell) =>
        GridsUsed > 0 && Derivable[cell] && !(IsDistinct(cell) && MissingBilans.Count > 0 && YearlyBilans == 0) ? Values[cell] : null;

    /// <summary>The value a table states: <see cref="ValueOf"/>, or null for a partial figure when partial figures are excluded.</summary>
    public long? StatedValue(int cell, bool excludePartial) =>
        excludePartial && StatusOf(cell) == FigureStatus.Partial ? null : ValueOf(cell);

    private bool IsDistinct(int cell) => Schema.Layout.Cells[cell].Aggregation == Aggregation.None;

    /// <summary>Adds a post's (or a child area's) figures into this one.</summary>
    internal void Add(AreaFigures part)
    {
        for (var i = 0; i < Values.Length; i++)
        {
            Values[i] += part.Values[i];
            if (Blocks(part, i))
            {
                Derivable[i] = false;
                if (_blocking is not null)
                {
                    _blocking[i]++;
                }
            }
        }

        ExpectedPosts += part.ExpectedPosts;
        DuePosts += part.DuePosts;
        ContributingPosts += part.ContributingPosts;
        IncompatiblePosts += part.IncompatiblePosts;
        GridsUsed += part.GridsUsed;
        Fte += part.Fte;
        Missing.AddRange(part.Missing);
        MissingBilans.AddRange(part.MissingBilans);
        YearlyBilans += part.YearlyBilans;
        foreach (var version in part.SchemaVersions)
        {
            SchemaVersions.Add(version);
        }

        if (part.DataAsOf is { } asOf && (DataAsOf is null || asOf > DataAsOf))
        {
            DataAsOf = asOf;
        }
    }
}
