using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// The figures of every department, region and the nation for one period, with the post figures they add up
/// (in the registry's order) and where each post counts: what <see cref="Consolidator.Update"/> needs to bring the
/// table up to date when a few posts' grids change. Immutable once made.
/// </summary>
public sealed record HierarchyTable(
    Consolidator Source,
    Period Period,
    DistinctCounts Distinct,
    GridSchema Schema,
    PostInfo[] Posts,
    string?[] Departments,
    AreaFigures[] PostFigures,
    IReadOnlyDictionary<AreaRef, AreaFigures> Areas);
