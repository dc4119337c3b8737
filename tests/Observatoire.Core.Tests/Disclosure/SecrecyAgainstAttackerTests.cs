using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Tests.Consolidation;
using Xunit.Abstractions;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// Random national workloads (<see cref="RandomWorld"/>: moving posts, monthly, quarterly and yearly posts,
/// missing and overlapping grids) planned by <see cref="HierarchyDisclosure"/>, then attacked by
/// <see cref="IntervalAttacker"/> over the whole year as a reader sees it: figures from the independent
/// <see cref="ConsolidationOracle"/>, areas without data as zeros, every geographic, breakdown and time relation
/// (sums or last sub-period; cumulated distinct-person counts), both partial modes.
/// </summary>
public class SecrecyAgainstAttackerTests(ITestOutputHelper output)
{
    private const int Year = 2025;
    private const double Tolerance = 1e-6;
    private const int SampledPrimaries = 120;
    private static readonly SecrecyOptions Options = new();

    /// <summary>
    /// With one published flag (the default) the attacker knows of a hidden count only that it is not negative; with
    /// the primary flag published, that a flagged one lies in 1..k-1.
    /// </summary>
    [Theory]
    [InlineData(101, "personnes_nouvelles", false)]
    [InlineData(102, "entretiens", false)]
    [InlineData(103, "file_active_fin", false)]
    [InlineData(104, "personnes_recues", false)]
    [InlineData(105, "accompagnements_physiques", false)]
    [InlineData(101, "personnes_nouvelles", true)]
    [InlineData(102, "entretiens", true)]
    [InlineData(103, "file_active_fin", true)]
    [InlineData(104, "personnes_recues", true)]
    [InlineData(105, "accompagnements_physiques", true)]
    public void Every_primary_cell_of_a_random_national_year_keeps_its_protection_interval(int seed, string code, bool flagsPublished)
    {
        var world = RandomWorld.Generate(seed);
        var consolidator = world.NewConsolidator();
        var oracle = ConsolidationOracle.For(world);
        var schema = RandomWorld.Schema;
        var indicator = schema.Indicator(code);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var hierarchies = new Dictionary<(Period, DistinctCounts), IReadOnlyDictionary<AreaRef, AreaFigures>>();
        var secrecy = HierarchyDisclosure.Protect(
            (period, distinct) => hierarchies.TryGetValue((period, distinct), out var h) ? h : hierarchies[(period, distinct)] = consolidator.ForHierarchy(period, distinct),
            world.Registry,
            indicator,
            Year,
            new SecrecyPlanner(new SecrecyOptions { PrimaryFlagPublished = flagsPublished }));

        var planning = watch.Elapsed;
        var areas = new List<AreaRef> { AreaRef.National };
        areas.AddRange(world.Regions.Select(r => new AreaRef(AreaLevel.Region, r.Code)));
        areas.AddRange(world.Departments.Select(d => new AreaRef(AreaLevel.Department, d.Code)));
        var cells = schema.Layout.Cells.Where(c => c.Indicator.Code == code).ToList();
        var months = Enumerable.Range(1, 12).Select(m => Period.Month(Year, m)).ToList();
        var quarters = Enumerable.Range(1, 4).Select(q => Period.Quarter(Year, q)).ToList();
        var year = Period.OfYear(Year);

        using var attacker = new IntervalAttacker();
        var truth = new Dictionary<string, long?>();
        var primaries = new List<(string Key, int Index, long Value)>();
        foreach (var area in areas)
        {
            foreach (var cell in cells)
            {
                foreach (var period in months.Concat(quarters).Append(year))
                {
                    Observe(area, period, cell, DistinctCounts.Exact);
                    if (period.Kind != PeriodKind.Month && cell.Aggregation == Aggregation.None)
                    {
                        Observe(area, period, cell, DistinctCounts.Cumulated);
                    }
                }
            }
        }

        foreach (var cell in cells)
        {
            foreach (var (period, distinct) in Slots(cell))
            {
                // The nation is the sum of its regions, a region of its departments.
                Equal(Key(AreaRef.National, period, cell, distinct), world.Regions.Select(r => Key(new AreaRef(AreaLevel.Region, r.Code), period, cell, distinct)));
                foreach (var region in world.Regions)
                {
                    Equal(Key(new AreaRef(AreaLevel.Region, region.Code), period, cell, distinct), world.Departments.Where(d => d.RegionCode == region.Code).Select(d => Key(new AreaRef(AreaLevel.Department, d.Code), period, cell, distinct)));
                }
            }
        }

        foreach (var area in areas)
        {
            foreach (var total in cells.Where(c => c.IsTotal && c.Indicator.HasTotal))
            {
                foreach (var breakdown in indicator.Breakdowns.Where(b => b.SumsToTotal))
                {
                    var parts = schema.Layout.CellsOf(indicator, breakdown).ToList();
                    foreach (var (period, distinct) in Slots(total))
                    {
                        Equal(Key(area, period, total, distinct), parts.Select(p => Key(area, period, p, distinct)));
                    }
                }
            }

            foreach (var cell in cells)
            {
                // Time: a quarter and a year as sums (flows, cumulated distinct persons) or as their last part (stocks).
                var cumulated = cell.Aggregation == Aggregation.None ? DistinctCounts.Cumulated : DistinctCounts.Exact;
                if (cell.Aggregation == Aggregation.None || cell.Aggregation == Aggregation.Sum)
                {
                    foreach (var quarter in quarters)
                    {
                        ByTime(Key(area, quarter, cell, cumulated), quarter.Split(PeriodKind.Month).Select(m => Key(area, m, cell, DistinctCounts.Exact)));
                    }

                    ByTime(Key(area, year, cell, cumulated), quarters.Select(q => Key(area, q, cell, cumulated)));
                }
                else if (cell.Aggregation == Aggregation.Last)
                {
                    foreach (var quarter in quarters)
                    {
                        ByTime(Key(area, quarter, cell, DistinctCounts.Exact), [Key(area, quarter.Split(PeriodKind.Month)[^1], cell, DistinctCounts.Exact)]);
                    }

                    ByTime(Key(area, year, cell, DistinctCounts.Exact), [Key(area, quarters[^1], cell, DistinctCounts.Exact)]);
                }
            }
        }

        // Every primary cell the plan narrowed, and a deterministic sample of the others (the attacker solves two
        // programs per cell): never recovered exactly, and at least the protection range wide where the plan says so.
        var narrowed = secrecy.Plan.Narrowed.ToDictionary(n => n.Cell, n => n.Range);
        var exact = 0;
        var attacked = primaries.Where((p, i) => narrowed.ContainsKey(p.Index) || i % Math.Max(1, primaries.Count / SampledPrimaries) == 0).ToList();
        var building = watch.Elapsed - planning;
        foreach (var (key, index, value) in attacked)
        {
            var (low, high) = attacker.Interval(key);
            Assert.InRange(value, low - Tolerance, high + Tolerance);
            var required = narrowed.GetValueOrDefault(index, Options.ProtectionRange);
            Assert.True(high - low >= required - Tolerance, $"{key} = {value}: the attacker narrows it to [{low}, {high}], the plan promised a range of {required}");
            exact += high - low < Tolerance ? 1 : 0;
        }

        var loss = secrecy.Plan.Loss;
        output.WriteLine($"seed {seed}, {code}, flags published: {flagsPublished}: {secrecy.Table.Size} cells, {primaries.Count} primary, {loss.SecondaryCells} secondary ({loss.SecondaryCellShare:P1} of the protectable cells, {loss.SecondaryValueShare:P1} of their value), {narrowed.Count} below the range, {exact} exact, {secrecy.Plan.LinearProgramCertificates} linear programs; {attacked.Count} attacked; planned in {planning.TotalSeconds:N1} s, attack built in {building.TotalSeconds:N1} s, solved in {(watch.Elapsed - planning - building).TotalSeconds:N1} s");
        Assert.Equal(primaries.Count, loss.PrimaryCells);

        // Every primary cell is accounted for once: protected by earlier certificates, by hypercubes or by programs.
        var profile = secrecy.Plan.Profile;
        Assert.Equal(loss.PrimaryCells, profile.Reused + profile.ByHypercube + profile.ByLinearProgram);
        Assert.NotEmpty(primaries);
        Assert.True(narrowed.Count <= primaries.Count / 5, $"{narrowed.Count} of {primaries.Count} primary cells below the range");
        if (!flagsPublished)
        {
            // Without the flag's 1..k-1, nothing pins a hidden count but the table: none is recovered exactly.
            Assert.Equal(0, exact);
        }

        void Observe(AreaRef area, Period period, CellDefinition cell, DistinctCounts distinct)
        {
            var key = Key(area, period, cell, distinct);
            var (status, value) = distinct == DistinctCounts.Exact
                ? (oracle.ForArea(area, period).StatusOf(cell.Index), oracle.ForArea(area, period).ValueOf(cell.Index))
                : (hierarchies[(period, distinct)][area].StatusOf(cell.Index), hierarchies[(period, distinct)][area].ValueOf(cell.Index));
            if (distinct == DistinctCounts.Exact && status is not FigureStatus.NoData and not FigureStatus.NotDerivable)
            {
                // Every published value is the true one: the server's figure is the oracle's.
                Assert.Equal(value, hierarchies[(period, distinct)][area].ValueOf(cell.Index));
            }

            truth[key] = status == FigureStatus.NoData ? 0 : value;
            var confidentiality = area.Level == AreaLevel.National ? CellConfidentiality.Free : secrecy.StatusOf(area, period, cell, distinct);
            switch (status)
            {
                case FigureStatus.NoData:
                    Assert.Equal(CellConfidentiality.Free, confidentiality);
                    attacker.Known(key, 0);
                    break;
                case FigureStatus.NotDerivable:
                    attacker.Hidden(key);
                    break;
                default:
                    // Both partial modes: without partial figures a table publishes a subset of the same cells.
                    if (confidentiality == CellConfidentiality.Free)
                    {
                        attacker.Known(key, value!.Value);
                    }
                    else if (value is >= 1 and var small && small < Options.Threshold)
                    {
                        // A small count, suppressed by the rule: flagged A only where the flags are published.
                        Assert.Equal(flagsPublished ? CellConfidentiality.Primary : CellConfidentiality.Suppressed, confidentiality);
                        attacker.Hidden(key, flagsPublished ? 1 : 0, flagsPublished ? Options.Threshold - 1 : double.PositiveInfinity);
                        primaries.Add((key, secrecy.TryIndex(area, period, cell.Key, cell.Aggregation, distinct)!.Value, small));
                    }
                    else
                    {
                        Assert.Equal(flagsPublished ? CellConfidentiality.Secondary : CellConfidentiality.Suppressed, confidentiality);
                        attacker.Hidden(key);
                    }

                    if (area.Level != AreaLevel.National && value is >= 1 and < 5)
                    {
                        Assert.NotEqual(CellConfidentiality.Free, confidentiality);
                    }

                    break;
            }
        }

        void Equal(string parent, IEnumerable<string> children) => attacker.Relation(parent, children);

        void ByTime(string parent, IEnumerable<string> children)
        {
            // Known to a reader as an equality where no contribution is seen at one level only; else by its sign.
            var members = children.ToList();
            if (truth[parent] is not { } total || members.Any(m => truth[m] is null))
            {
                return;
            }

            attacker.Relation(parent, members, Math.Sign(total - members.Sum(m => truth[m]!.Value)));
        }

        IEnumerable<(Period, DistinctCounts)> Slots(CellDefinition cell) =>
            months.Select(m => (m, DistinctCounts.Exact))
                .Concat(quarters.Append(year).Select(p => (p, DistinctCounts.Exact)))
                .Concat(cell.Aggregation == Aggregation.None ? quarters.Append(year).Select(p => (p, DistinctCounts.Cumulated)) : []);
    }

    private static string Key(AreaRef area, Period period, CellDefinition cell, DistinctCounts distinct) =>
        $"{area.Level}:{area.Code}|{period}|{distinct}|{cell.Key}";
}
