using Microsoft.Extensions.Options;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Server.Aggregates;

/// <summary>A figure as a caller may see it: its value only when it is stated and free to publish.</summary>
internal readonly record struct PublishedValue(long? Value, FigureStatus Status, bool PartialExcluded, CellConfidentiality Confidentiality);

/// <summary>
/// Applies the partial-figure choice and disclosure control to consolidated figures. One suppression plan per
/// year and indicator covers every area, period and partial mode (<see cref="HierarchyDisclosure"/>), so every
/// view of the same data publishes the same cells. Plans and hierarchies are cached per cube version, in caches of
/// bounded size (least recently used evicted).
/// </summary>
internal sealed class PublishedFigures
{
    private readonly ConsolidationState _state;
    private readonly ConsolidationOptions _options;
    private readonly SecrecyPlanner _planner;
    private readonly LruCache<(long Version, int Year, string Indicator), IndicatorSecrecy> _plans;
    private readonly LruCache<(long Version, Period Period, DistinctCounts Distinct), IReadOnlyDictionary<AreaRef, AreaFigures>> _hierarchies;

    public PublishedFigures(ConsolidationState state, IOptions<ConsolidationOptions> options)
    {
        _state = state;
        _options = options.Value;
        _planner = new SecrecyPlanner(new SecrecyOptions { Threshold = _options.SuppressionThreshold, ProtectionRange = _options.ProtectionRange });
        _plans = new LruCache<(long, int, string), IndicatorSecrecy>(_options.PlanCacheSize);
        _hierarchies = new LruCache<(long, Period, DistinctCounts), IReadOnlyDictionary<AreaRef, AreaFigures>>(_options.HierarchyCacheSize);
    }

    public int Threshold => _options.SuppressionThreshold;

    public int ProtectionRange => _options.ProtectionRange;

    public PublishedValue Publish(AreaFigures figures, CellDefinition cell, bool raw, bool excludePartial, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var status = figures.StatusOf(cell.Index);
        var stated = figures.StatedValue(cell.Index, excludePartial);
        var excluded = excludePartial && status == FigureStatus.Partial;
        if (raw || figures.Area.Level is AreaLevel.National or AreaLevel.Post || stated is null)
        {
            return new PublishedValue(stated, status, excluded, CellConfidentiality.Free);
        }

        var confidentiality = Secrecy(figures.Period.Year, cell.Indicator).StatusOf(figures.Area, figures.Period, cell, distinct);
        return new PublishedValue(confidentiality == CellConfidentiality.Free ? stated : null, status, excluded, confidentiality);
    }

    /// <summary>The suppression plan of an indicator for a year (cached per cube version).</summary>
    public IndicatorSecrecy Secrecy(int year, Indicator indicator)
    {
        var version = _state.Cube.Version;
        _plans.RemoveWhere(key => key.Version != version);
        return _plans.GetOrAdd((version, year, indicator.Code), key => HierarchyDisclosure.Protect(
            (period, distinct) => Hierarchy(period, distinct),
            _state.Registry,
            indicator,
            key.Year,
            _planner));
    }

    /// <summary>The figures of every department, region and the nation for a period (cached per cube version).</summary>
    public IReadOnlyDictionary<AreaRef, AreaFigures> Hierarchy(Period period, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var version = _state.Cube.Version;
        _hierarchies.RemoveWhere(key => key.Version != version);
        return _hierarchies.GetOrAdd((version, period, distinct), key => _state.Consolidator.ForHierarchy(key.Period, key.Distinct));
    }

    /// <summary>The figures of an area; departments, regions and the nation come from the cached hierarchy.</summary>
    public AreaFigures Figures(AreaRef area, Period period, DistinctCounts distinct = DistinctCounts.Exact) =>
        area.Level == AreaLevel.Post ? _state.Consolidator.ForArea(area, period, distinct) : Hierarchy(period, distinct)[area];
}
