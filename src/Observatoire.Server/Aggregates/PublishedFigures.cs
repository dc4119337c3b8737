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
/// Applies the partial-figure choice and disclosure control to consolidated figures. A published figure of the
/// nation, a region or a department comes, with its status, from the snapshot its indicator's suppression plan
/// was made on (<see cref="PublishedTables"/>): one plan per year and indicator covers every area, period and
/// partial mode, so every view of the same data publishes the same cells, and values and plan describe the same
/// instant. Raw figures (for those allowed) and post figures come from the live data.
/// </summary>
internal sealed class PublishedFigures
{
    private readonly ConsolidationState _state;
    private readonly ObservatoireMetrics _metrics;
    private readonly ConsolidationOptions _options;
    private readonly PublishedTables _tables;
    private readonly HierarchyCache _hierarchies;

    public PublishedFigures(ConsolidationState state, IOptions<ConsolidationOptions> options, ObservatoireMetrics metrics)
    {
        _state = state;
        _metrics = metrics;
        _options = options.Value;
        var planner = new SecrecyPlanner(new SecrecyOptions
        {
            Threshold = _options.SuppressionThreshold,
            ProtectionRange = _options.ProtectionRange,
            MaxLinearPrograms = _options.MaxLinearPrograms,
        });
        _tables = new PublishedTables(() => _state.Consolidator, planner, TimeSpan.FromMilliseconds(_options.PublicationWaitMilliseconds), _options.PublishedYears, metrics.SecrecyPlanned);
        _hierarchies = new HierarchyCache(_options.HierarchyCacheSize);
    }

    public int Threshold => _options.SuppressionThreshold;

    public int ProtectionRange => _options.ProtectionRange;

    /// <param name="waitForPlan">
    /// Exports, charts and reports wait for the year's first plan of the indicator; an interactive read waits at most
    /// <see cref="ConsolidationOptions.PublicationWaitMilliseconds"/> and is then told that figures below the national
    /// level are withheld (<see cref="CellConfidentiality.Pending"/>).
    /// </param>
    public PublishedValue Publish(AreaFigures figures, CellDefinition cell, bool raw, bool excludePartial, DistinctCounts distinct = DistinctCounts.Exact, bool waitForPlan = false)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(cell);
        // No figure is no figure in any snapshot: nothing to plan (and the years around the calendar's ends have none).
        if (raw || figures.Area.Level == AreaLevel.Post || figures.StatedValue(cell.Index, excludePartial: false) is null)
        {
            return Stated(figures, cell, excludePartial, CellConfidentiality.Free);
        }

        var table = _tables.For(figures.Period.Year, cell.Indicator, waitForPlan);
        _metrics.CacheLookup("secrecy", hit: !table.Pending);
        if (!table.Snapshot.Hierarchy(figures.Period, distinct).TryGetValue(figures.Area, out var frozen)
            || !frozen.Schema.Layout.TryGetIndex(cell.Key, out var index))
        {
            return new PublishedValue(null, FigureStatus.NoData, false, CellConfidentiality.Free);
        }

        var frozenCell = frozen.Schema.Layout.Cells[index];
        var confidentiality = figures.Area.Level == AreaLevel.National
            ? CellConfidentiality.Free
            : table.Secrecy?.StatusOf(figures.Area, figures.Period, frozenCell, distinct) ?? CellConfidentiality.Pending;
        var published = Stated(frozen, frozenCell, excludePartial, confidentiality);
        return confidentiality == CellConfidentiality.Free ? published : published with { Value = null };
    }

    /// <summary>Starts planning the newest years with data in the background (<see cref="ConsolidationOptions.WarmYears"/>).</summary>
    public void Warm()
    {
        foreach (var year in _state.Cube.Years.Take(_options.WarmYears))
        {
            _tables.Warm(year);
        }
    }

    /// <summary>The suppression plan of an indicator for a year, as published now.</summary>
    public IndicatorSecrecy Secrecy(int year, Indicator indicator) => _tables.For(year, indicator, waitForPlan: true).Secrecy!;

    /// <summary>
    /// The figures of every department, region and the nation for a period, as of the last grid: cached, and brought
    /// up to date by consolidating again only the posts whose grids of the period changed (<see cref="HierarchyCache"/>).
    /// </summary>
    public IReadOnlyDictionary<AreaRef, AreaFigures> Hierarchy(Period period, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var hierarchy = _hierarchies.Get(_state.Consolidator, period, distinct, out var hit);
        _metrics.CacheLookup("hierarchy", hit);
        return hierarchy;
    }

    /// <summary>The figures of an area; departments, regions and the nation come from the cached hierarchy.</summary>
    public AreaFigures Figures(AreaRef area, Period period, DistinctCounts distinct = DistinctCounts.Exact) =>
        area.Level == AreaLevel.Post ? _state.Consolidator.ForArea(area, period, distinct) : Hierarchy(period, distinct)[area];

    private static PublishedValue Stated(AreaFigures figures, CellDefinition cell, bool excludePartial, CellConfidentiality confidentiality)
    {
        var status = figures.StatusOf(cell.Index);
        var excluded = excludePartial && status == FigureStatus.Partial;
        return new PublishedValue(figures.StatedValue(cell.Index, excludePartial), status, excluded, confidentiality);
    }
}
