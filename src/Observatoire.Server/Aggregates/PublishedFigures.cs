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
    private readonly Func<Consolidator> _consolidator;
    private readonly ObservatoireMetrics _metrics;
    private readonly ConsolidationOptions _options;
    private readonly PublishedTables _tables;
    private readonly HierarchyCache _hierarchies;

    /// <summary>Today's figures: the live cube, kept up to date by every accepted grid.</summary>
    public PublishedFigures(ConsolidationState state, IOptions<ConsolidationOptions> options, ObservatoireMetrics metrics, SecrecyPlanningEvents planning)
        : this(() => state.Consolidator, options.Value, metrics, planning, asOf: null, options.Value.HierarchyCacheSize)
    {
    }

    /// <summary>The figures of another cube (as of an instant), published with their own tables and the same planner settings.</summary>
    /// <param name="consolidator">The view's consolidator: the same instance while the registry does not change.</param>
    /// <param name="asOf">The instant the figures stand at; null for today's.</param>
    /// <param name="hierarchies">Consolidated hierarchies kept in memory.</param>
    /// <param name="planning">Where plans' durations and failures are reported.</param>
    public PublishedFigures(Func<Consolidator> consolidator, ConsolidationOptions options, ObservatoireMetrics metrics, SecrecyPlanningEvents planning, DateTime? asOf, int hierarchies)
    {
        _consolidator = consolidator;
        _metrics = metrics;
        _options = options;
        AsOf = asOf;
        var planner = new SecrecyPlanner(new SecrecyOptions
        {
            Threshold = _options.SuppressionThreshold,
            ProtectionRange = _options.ProtectionRange,
            MaxLinearPrograms = _options.MaxLinearPrograms,
            MaxRepairVariables = _options.MaxRepairVariables,
            PrimaryFlagPublished = _options.PublishPrimaryFlag,
        });
        _tables = new PublishedTables(consolidator, planner, TimeSpan.FromMilliseconds(_options.PublicationWaitMilliseconds), _options.PublishedYears, planning.Create());
        _hierarchies = new HierarchyCache(hierarchies);
    }

    private PublishedFigures(PublishedFigures shared, DateTime asOf)
    {
        _consolidator = shared._consolidator;
        _metrics = shared._metrics;
        _options = shared._options;
        _tables = shared._tables;
        _hierarchies = shared._hierarchies;
        AsOf = asOf;
    }

    /// <summary>The same figures (and tables) dated at another instant that names the same revisions.</summary>
    public PublishedFigures At(DateTime asOf) => AsOf == asOf ? this : new PublishedFigures(this, asOf);

    /// <summary>The instant the figures stand at (only revisions received by then count); null for today's figures.</summary>
    public DateTime? AsOf { get; }

    /// <summary>The consolidator of these figures.</summary>
    public Consolidator Consolidator => _consolidator();

    /// <summary>The grids of these figures.</summary>
    public GridCube Cube => Consolidator.Cube;

    /// <summary>The registry of these figures: today's, or as recorded by their instant (departments and regions never change).</summary>
    public RegistrySnapshot Registry => Consolidator.Registry;

    /// <summary>The instant documents made from these figures are dated: the cut-off for figures as of an instant, else now.</summary>
    public DateTimeOffset Now(TimeProvider clock) => AsOf is { } asOf ? new DateTimeOffset(asOf, TimeSpan.Zero) : clock.GetUtcNow();

    /// <summary>The day of <see cref="Now"/>: which grids were due and late is judged on it.</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Now(clock).UtcDateTime);

    public int Threshold => _options.SuppressionThreshold;

    public int ProtectionRange => _options.ProtectionRange;

    /// <param name="waitForPlan">
    /// Exports, charts and reports wait for the year's first plan of the indicator; an interactive read waits at most
    /// <see cref="ConsolidationOptions.PublicationWaitMilliseconds"/> and is then told that figures below the national
    /// level are withheld (<see cref="CellConfidentiality.Pending"/>). Whoever asks, a plan that failed withholds them
    /// (<see cref="CellConfidentiality.Withheld"/>) rather than failing the read.
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
        var confidentiality = table.StatusOf(figures.Area, figures.Period, frozenCell, distinct);
        var published = Stated(frozen, frozenCell, excludePartial, confidentiality);
        return confidentiality == CellConfidentiality.Free ? published : published with { Value = null };
    }

    /// <summary>
    /// Makes (or waits for) the plan of every indicator of a year, as a document of the year would, and returns the codes
    /// of those whose plan failed: a document made now would withhold their figures below the nation.
    /// </summary>
    public IReadOnlyList<string> FailedPlans(int year, CancellationToken ct)
    {
        var failed = new List<string>();
        foreach (var indicator in Consolidator.SchemaFor(Period.OfYear(year)).Indicators)
        {
            ct.ThrowIfCancellationRequested();
            if (_tables.For(year, indicator, waitForPlan: true).Failed)
            {
                failed.Add(indicator.Code);
            }
        }

        return failed;
    }

    /// <summary>Figures dropped from memory (as of an instant): their plans not yet begun are cancelled.</summary>
    public void Abandon() => _tables.Abandon();

    /// <summary>Starts planning the newest years with data in the background (<see cref="ConsolidationOptions.WarmYears"/>).</summary>
    public void Warm()
    {
        foreach (var year in Cube.Years.Take(_options.WarmYears))
        {
            _tables.Warm(year);
        }
    }

    /// <summary>
    /// The figures of every department, region and the nation for a period, as of the last grid: cached, and brought
    /// up to date by consolidating again only the posts whose grids of the period changed (<see cref="HierarchyCache"/>).
    /// </summary>
    public IReadOnlyDictionary<AreaRef, AreaFigures> Hierarchy(Period period, DistinctCounts distinct = DistinctCounts.Exact)
    {
        var hierarchy = _hierarchies.Get(Consolidator, period, distinct, out var hit);
        _metrics.CacheLookup("hierarchy", hit);
        return hierarchy;
    }

    /// <summary>The figures of an area; departments, regions and the nation come from the cached hierarchy.</summary>
    public AreaFigures Figures(AreaRef area, Period period, DistinctCounts distinct = DistinctCounts.Exact) =>
        area.Level == AreaLevel.Post ? Consolidator.ForArea(area, period, distinct) : Hierarchy(period, distinct)[area];

    private static PublishedValue Stated(AreaFigures figures, CellDefinition cell, bool excludePartial, CellConfidentiality confidentiality)
    {
        var status = figures.StatusOf(cell.Index);
        var excluded = excludePartial && status == FigureStatus.Partial;
        return new PublishedValue(figures.StatedValue(cell.Index, excludePartial), status, excluded, confidentiality);
    }
}
