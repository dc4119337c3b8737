using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// The figures of every department, region and the nation for one period, with the post figures they add up
/// (in the registry's order) and where each post counts: what <see cref="Consolidator.Update"/> needs to bring the
/// table up to date when a few posts' grids change. Immutable once made (an update makes a new table sharing the
/// figures that did not change).
/// </summary>
public sealed record HierarchyTable(
    Consolidator Source,
    Period Period,
    DistinctCounts Distinct,
    GridSchema Schema,
    PostInfo[] Posts,
    string?[] Departments,
    AreaFigures[] PostFigures,
    IReadOnlyDictionary<AreaRef, AreaFigures> Areas)
{
    /// <summary>For each area, the indices in <see cref="Posts"/> of the posts counted in it, in the registry's order.</summary>
    internal IReadOnlyDictionary<AreaRef, int[]> Members { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<AreaRef, int[]>.Empty;

    /// <summary>The index in <see cref="Posts"/> of each post.</summary>
    internal IReadOnlyDictionary<string, int> PostIndex { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, int>.Empty;
}
