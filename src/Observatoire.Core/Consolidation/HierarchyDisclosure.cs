using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Consolidation;

/// <summary>
/// The suppression plan of one indicator for one year, over everything a reader can combine: the nation, regions
/// and departments, by months, quarters and the year (exact, and cumulated for distinct-person counts), by every
/// cell of the indicator. Whichever view asks (a table with or without partial figures, a series, a comparison, a
/// chart, a report), a figure gets its status from this one plan.
/// </summary>
public sealed class IndicatorSecrecy
{
    private readonly Dictionary<string, int> _areas;
    private readonly Dictionary<string, int> _cells;

    internal IndicatorSecrecy(int year, Indicator indicator, LinkedTable table, SecrecyPlan plan, Dictionary<string, int> areas, Dictionary<string, int> cells, bool primaryFlagPublished)
    {
        PrimaryFlagPublished = primaryFlagPublished;
        Year = year;
        Indicator = indicator;
        Table = table;
        Plan = plan;
        _areas = areas;
        _cells = cells;
    }

    public int Year { get; }

    public Indicator Indicator { get; }

    public LinkedTable Table { get; }

    public SecrecyPlan Plan { get; }

    /// <summary>Whether primary and secondary cells are published as such (A, D) or both as suppressed (C).</summary>
    public bool PrimaryFlagPublished { get; }

    /// <summary>
    /// The published status of a figure (free for figures outside the plan: the nation, posts, another indicator);
    /// primary and secondary cells are both <see cref="CellConfidentiality.Suppressed"/> unless their flags are published.
    /// </summary>
    public CellConfidentiality StatusOf(AreaRef area, Period period, CellDefinition cell, DistinctCounts distinct = DistinctCounts.Exact)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var status = TryIndex(area, period, cell.Key, cell.Aggregation, distinct) is { } index ? Plan.Statuses[index] : CellConfidentiality.Free;
        return !PrimaryFlagPublished && status is CellConfidentiality.Primary or CellConfidentiality.Secondary ? CellConfidentiality.Suppressed : status;
    }

    /// <summary>The linked table's index of a figure, or null when the plan does not hold it.</summary>
    public int? TryIndex(AreaRef area, Period period, string cellKey, Aggregation aggregation, DistinctCounts distinct = DistinctCounts.Exact) =>
        period.Year == Year && _areas.TryGetValue(AreaKey(area), out var g) && _cells.TryGetValue(cellKey, out var c)
            ? Table.Index(g, HierarchyDisclosure.SlotOf(period, aggregation, distinct), c)
            : null;

    internal static string AreaKey(AreaRef area) => $"{(int)area.Level}:{area.Code}";
}

/// <summary>
/// Builds the linked table of an indicator and a year from the consolidated hierarchies of its periods, and plans
/// its suppression with <see cref="SecrecyPlanner"/>. Areas without data publish as no data, which every reader
/// reads as zero: they are known zeros. National figures are always published. Partial figures count with their
/// value: a table without partial figures publishes a subset of the same plan.
/// </summary>
public static class HierarchyDisclosure
{
    /// <summary>Months 0-11, quarters 12-15, the year 16; cumulated quarters 17-20 and year 21 (distinct-person counts only).</summary>
    public const int SlotCount = 22;

    /// <summary>The period and distinct-count mode of each time slot of a year.</summary>
    public static IReadOnlyList<(Period Period, DistinctCounts Distinct)> Slots(int year) =>
    [
        .. Enumerable.Range(1, 12).Select(m => (Period.Month(year, m), DistinctCounts.Exact)),
        .. Enumerable.Range(1, 4).Select(q => (Period.Quarter(year, q), DistinctCounts.Exact)),
        (Period.OfYear(year), DistinctCounts.Exact),
        .. Enumerable.Range(1, 4).Select(q => (Period.Quarter(year, q), DistinctCounts.Cumulated)),
        (Period.OfYear(year), DistinctCounts.Cumulated),
    ];

    /// <summary>The slot of a figure: cumulated distinct-person counts of a quarter or a year have their own.</summary>
    public static int SlotOf(Period period, Aggregation aggregation, DistinctCounts distinct)
    {
        var cumulated = distinct == DistinctCounts.Cumulated && aggregation == Aggregation.None;
        return period.Kind switch
        {
            PeriodKind.Month => period.Index - 1,
            PeriodKind.Quarter => (cumulated ? 17 : 12) + period.Index - 1,
            _ => cumulated ? 21 : 16,
        };
    }

    /// <summary>Plans one indicator of one year; <paramref name="hierarchy"/> gives the consolidated areas of a period.</summary>
    public static IndicatorSecrecy Protect(
        Func<Period, DistinctCounts, IReadOnlyDictionary<AreaRef, AreaFigures>> hierarchy,
        RegistrySnapshot registry,
        Indicator indicator,
        int year,
        SecrecyPlanner planner)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(planner);
        var slots = Slots(year);
        var figures = slots.Select(s => hierarchy(s.Period, s.Distinct)).ToList();
        var schema = figures[16][AreaRef.National].Schema;
        var yearIndicator = schema.Indicators.FirstOrDefault(i => i.Code == indicator.Code) ?? indicator;
        var cells = schema.Layout.Cells.Where(c => c.Indicator.Code == yearIndicator.Code).ToList();

        var areas = new List<AreaRef> { AreaRef.National };
        areas.AddRange(registry.Regions.Keys.Order(StringComparer.Ordinal).Select(r => new AreaRef(AreaLevel.Region, r)));
        areas.AddRange(registry.Departments.Keys.Order(StringComparer.Ordinal).Select(d => new AreaRef(AreaLevel.Department, d)));
        var areaIndex = areas.Select((a, i) => (a, i)).ToDictionary(x => IndicatorSecrecy.AreaKey(x.a), x => x.i);
        var cellIndex = cells.Select((c, i) => (c, i)).ToDictionary(x => x.c.Key, x => x.i);

        var geography = new List<Family> { new(0, [.. Enumerable.Range(1, registry.Regions.Count)]) };
        foreach (var (region, departments) in registry.DepartmentsByRegion)
        {
            if (areaIndex.TryGetValue(IndicatorSecrecy.AreaKey(new AreaRef(AreaLevel.Region, region)), out var parent))
            {
                geography.Add(new Family(parent, [.. departments.Select(d => areaIndex[IndicatorSecrecy.AreaKey(new AreaRef(AreaLevel.Department, d.Code))]).Order()]));
            }
        }

        var breakdowns = new List<Family>();
        if (yearIndicator.HasTotal && cellIndex.TryGetValue(yearIndicator.Code, out var total))
        {
            breakdowns.AddRange(yearIndicator.Breakdowns
                .Where(b => b.SumsToTotal)
                .Select(b => new Family(total, [.. schema.Layout.CellsOf(yearIndicator, b).Select(c => cellIndex[c.Key])])));
        }

        var time = new Dictionary<Aggregation, TableDimension>
        {
            [Aggregation.Sum] = TimeDimension(month => [.. Enumerable.Range(month, 3)], [12, 13, 14, 15]),
            [Aggregation.Last] = TimeDimension(month => [month + 2], [15]),
            [Aggregation.None] = new TableDimension(SlotCount, [
                .. Enumerable.Range(0, 4).Select(q => new Family(17 + q, [.. Enumerable.Range(3 * q, 3)])),
                new Family(21, [17, 18, 19, 20])]),
        };

        var size = areas.Count * SlotCount * cells.Count;
        var values = new long?[size];
        var kinds = new CellKind[size];
        for (var g = 0; g < areas.Count; g++)
        {
            for (var t = 0; t < SlotCount; t++)
            {
                var area = figures[t][areas[g]];
                for (var c = 0; c < cells.Count; c++)
                {
                    var i = (g * SlotCount + t) * cells.Count + c;
                    var used = t < 17 || cells[c].Aggregation == Aggregation.None;
                    if (!used || !area.Schema.Layout.TryGetIndex(cells[c].Key, out var local))
                    {
                        kinds[i] = CellKind.Unknown;
                        continue;
                    }

                    (values[i], kinds[i]) = area.StatusOf(local) switch
                    {
                        FigureStatus.NoData => (0L, CellKind.Known),
                        FigureStatus.NotDerivable => ((long?)null, CellKind.Unknown),
                        _ => (area.Values[local], g == 0 ? CellKind.Known : CellKind.Protectable),
                    };
                }
            }
        }

        var linked = new LinkedTable(
            new TableDimension(areas.Count, geography),
            [.. cells.Select(c => time[c.Aggregation])],
            new TableDimension(cells.Count, breakdowns),
            values,
            kinds);
        return new IndicatorSecrecy(year, yearIndicator, linked, planner.Plan(linked), areaIndex, cellIndex, planner.PrimaryFlagPublished);
    }

    /// <summary>Slots 0-16 linked by a time aggregation (sums, or the last sub-period); the cumulated slots stay unused.</summary>
    private static TableDimension TimeDimension(Func<int, int[]> monthsOfQuarter, int[] quartersOfYear) =>
        new(SlotCount, [
            .. Enumerable.Range(0, 4).Select(q => new Family(12 + q, monthsOfQuarter(3 * q))),
            new Family(16, quartersOfYear)]);
}
