using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Server.Telemetry;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Server.Aggregates;

/// <summary>A figure as a caller may see it: its value only when it is stated and free to publish.</summary>
internal readonly record struct PublishedValue(long? Value, FigureStatus Status, bool PartialExcluded, CellConfidentiality Confidentiality);

/// <summary>
/// Applies the partial-figure choice and disclosure control to consolidated figures. Suppression
/// patterns are computed on the whole hierarchy of a period and indicator and cached until the
/// next accepted grid changes the cube.
/// </summary>
internal sealed class PublishedFigures(ConsolidationState state, IOptions<ConsolidationOptions> options, ObservatoireMetrics metrics)
{
    private readonly ConcurrentDictionary<(long Version, Period Period, DistinctCounts Distinct, string Indicator, bool ExcludePartial), IReadOnlyDictionary<(AreaRef Area, int Cell), CellConfidentiality>> _patterns = new();
    private readonly ConcurrentDictionary<(long Version, Period Period, DistinctCounts Distinct), IReadOnlyDictionary<AreaRef, AreaFigures>> _hierarchies = new();

    public int Threshold => options.Value.SuppressionThreshold;

    public PublishedValue Publish(AreaFigures figures, CellDefinition cell, bool raw, bool excludePartial, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var status = figures.StatusOf(cell.Index);
        var stated = figures.StatedValue(cell.Index, excludePartial);
        var excluded = excludePartial && status == FigureStatus.Partial;
        if (raw || figures.Area.Level == AreaLevel.National || stated is null)
        {
            return new PublishedValue(stated, status, excluded, CellConfidentiality.Free);
        }

        var confidentiality = Pattern(figures.Period, distinct, cell.Indicator, excludePartial).GetValueOrDefault((figures.Area, cell.Index), CellConfidentiality.Free);
        return new PublishedValue(confidentiality == CellConfidentiality.Free ? stated : null, status, excluded, confidentiality);
    }

    /// <summary>The figures of every department, region and the nation for a period (cached per cube version).</summary>
    public IReadOnlyDictionary<AreaRef, AreaFigures> Hierarchy(Period period, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var version = state.Cube.Version;
        Trim(_hierarchies, version);
        var key = (version, period, distinct);
        metrics.CacheLookup("hierarchy", _hierarchies.ContainsKey(key));
        return _hierarchies.GetOrAdd(key, k => state.Consolidator.ForHierarchy(k.Period, k.Distinct));
    }

    /// <summary>The figures of an area; departments, regions and the nation come from the cached hierarchy.</summary>
    public AreaFigures Figures(AreaRef area, Period period, DistinctCounts distinct = DistinctCounts.Exact) =>
        area.Level == AreaLevel.Post ? state.Consolidator.ForArea(area, period, distinct) : Hierarchy(period, distinct)[area];

    private IReadOnlyDictionary<(AreaRef Area, int Cell), CellConfidentiality> Pattern(Period period, DistinctCounts distinct, Indicator indicator, bool excludePartial)
    {
        var version = state.Cube.Version;
        Trim(_patterns, version);
        var key = (version, period, distinct, indicator.Code, excludePartial);
        metrics.CacheLookup("secrecy", _patterns.ContainsKey(key));
        return _patterns.GetOrAdd(key, k =>
        {
            var hierarchy = Hierarchy(k.Period, k.Distinct);
            return ObservatoireMetrics.Time(
                () => HierarchyDisclosure.Protect(
                    hierarchy,
                    state.Registry,
                    indicator,
                    k.ExcludePartial,
                    new DisclosureControl(new DisclosureOptions { Threshold = options.Value.SuppressionThreshold })),
                metrics.SecrecyPlanned);
        });
    }

    private static void Trim<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, long version)
        where TKey : notnull
    {
        // Entries of an older cube version are stale: a grid arrived since.
        foreach (var key in cache.Keys)
        {
            if (key is ITuple tuple && tuple[0] is long v && v != version)
            {
                cache.TryRemove(key, out _);
            }
        }
    }
}
