using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Tests.Consolidation;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// Each leak of the old suppression, on a small hand-made table where it is obvious, planned by
/// <see cref="SecrecyPlanner"/> and attacked with the relations written out by hand.
/// </summary>
public class SecrecyLeakTests
{
    private static readonly SecrecyPlanner Planner = new(new SecrecyOptions { Threshold = 5, ProtectionRange = 2, PrimaryFlagPublished = true });
    private static readonly TableDimension OneSlot = new(1, []);
    private static readonly TableDimension OneCell = new(1, []);

    [Fact]
    public void A_department_without_data_counts_as_a_published_zero_so_its_neighbour_is_hidden_instead()
    {
        // Nation 0 = region 1 = departments A (2, small) + B (40) + C (no data: every reader knows it is 0).
        var geography = new TableDimension(5, [new Family(0, [1]), new Family(1, [2, 3, 4])]);
        var table = new LinkedTable(geography, [OneSlot], OneCell, [42, 42, 2, 40, 0], [CellKind.Known, CellKind.Protectable, CellKind.Protectable, CellKind.Protectable, CellKind.Known]);

        var plan = Planner.Plan(table);

        Assert.Equal([CellConfidentiality.Free, CellConfidentiality.Free, CellConfidentiality.Primary, CellConfidentiality.Secondary, CellConfidentiality.Free], plan.Statuses);
        using var attacker = Attack(table, plan);
        attacker.Relation("0", ["1"]);
        attacker.Relation("1", ["2", "3", "4"]);
        AssertRange(attacker.Interval("2"), 2);
    }

    [Fact]
    public void Months_and_their_quarter_cannot_pin_a_suppressed_month()
    {
        // Two departments of the only region, three months and their quarter (slot 3); the region equals the nation.
        var table = MonthsAndQuarter();

        var plan = Planner.Plan(table);

        using var attacker = Attack(table, plan);
        for (var t = 0; t < 4; t++)
        {
            attacker.Relation($"{t}", [$"{4 + t}"]);
            attacker.Relation($"{4 + t}", [$"{8 + t}", $"{12 + t}"]);
        }

        foreach (var area in new[] { 4, 8, 12 })
        {
            attacker.Relation($"{area + 3}", [$"{area}", $"{area + 1}", $"{area + 2}"]);
        }

        Assert.Equal(CellConfidentiality.Primary, plan.Statuses[8]);
        AssertRange(attacker.Interval("8"), 2);
    }

    [Fact]
    public void A_cell_that_has_no_value_is_never_moved_and_does_not_stop_the_plan()
    {
        // As above, but the quarter of department B cannot be derived (distinct persons of a post that sends months
        // and of one that sends its quarter): it is never published, has no value, and a move cannot go through it.
        var table = MonthsAndQuarter(unknownQuarterOfB: true);

        var plan = Planner.Plan(table);

        Assert.Equal(CellConfidentiality.Primary, plan.Statuses[8]);
        using var attacker = Attack(table, plan);
        for (var t = 0; t < 4; t++)
        {
            attacker.Relation($"{t}", [$"{4 + t}"]);
        }

        for (var t = 0; t < 3; t++)
        {
            attacker.Relation($"{4 + t}", [$"{8 + t}", $"{12 + t}"]);
        }

        attacker.Relation("7", ["4", "5", "6"]);
        attacker.Relation("11", ["8", "9", "10"]);
        AssertRange(attacker.Interval("8"), 2);
    }

    [Fact]
    public void A_total_nobody_knows_does_not_pin_the_cells_below_it()
    {
        // Nation 0 = region 1 = departments A (2) and B (3), by a total (cell 0) and two categories (cells 1 and 2); index
        // 3 * area + cell. A quarter's exact distinct count: A's can be derived (12 = 2 + 10), B's cannot, so neither can
        // the region's nor the nation's. The region's total is free for a reader (a sum of counts, never published), so
        // A's small category is protected by its breakdown alone. Kept as a relation, the region's unknown total pinned
        // every cell of A (an unknown cell cannot move), and the planner reported A's category as a disclosure.
        long?[] values = [null, null, null, null, null, null, 12, 2, 10, null, null, null];
        var kinds = values.Select(v => v is null ? CellKind.Unknown : CellKind.Protectable).ToArray();
        var geography = new TableDimension(4, [new Family(0, [1]), new Family(1, [2, 3])]);
        var table = new LinkedTable(geography, [OneSlot, OneSlot, OneSlot], new TableDimension(3, [new Family(0, [1, 2])]), values, kinds);

        var plan = Planner.Plan(table);

        Assert.Equal(CellConfidentiality.Primary, plan.Statuses[7]);
        Assert.Equal(CellConfidentiality.Secondary, plan.Statuses[8]);
        Assert.Empty(plan.Narrowed);
        Assert.DoesNotContain(table.Relations, r => r.Parent is 3 or 4 or 5);

        // The attacker writes every relation, the unknown totals as non-negative unknowns.
        using var attacker = Attack(table, plan);
        foreach (var unknown in Enumerable.Range(0, table.Size).Where(i => values[i] is null))
        {
            attacker.Hidden($"{unknown}");
        }

        for (var c = 0; c < 3; c++)
        {
            attacker.Relation($"{c}", [$"{3 + c}"]);
            attacker.Relation($"{3 + c}", [$"{6 + c}", $"{9 + c}"]);
        }

        foreach (var area in new[] { 0, 1, 2, 3 })
        {
            attacker.Relation($"{3 * area}", [$"{(3 * area) + 1}", $"{(3 * area) + 2}"]);
        }

        AssertRange(attacker.Interval("7"), 2);
    }

    [Fact]
    public void A_small_cell_is_not_hidden_next_to_a_zero_that_non_negativity_pins()
    {
        // Region 1 = A (1) + B (0) + C (12). Hiding A with B alone gives A + B = 1, so A = 1 since B >= 0 and A >= 1.
        var geography = new TableDimension(6, [new Family(0, [1, 5]), new Family(1, [2, 3, 4])]);
        var table = new LinkedTable(geography, [OneSlot], OneCell, [63, 13, 1, 0, 12, 50], [CellKind.Known, .. Enumerable.Repeat(CellKind.Protectable, 5)]);

        var plan = Planner.Plan(table);

        Assert.Equal(CellConfidentiality.Free, plan.Statuses[3]);
        using var attacker = Attack(table, plan);
        attacker.Relation("0", ["1", "5"]);
        attacker.Relation("1", ["2", "3", "4"]);
        AssertRange(attacker.Interval("2"), 2);
    }

    [Fact]
    public void Cells_pinned_by_the_national_figure_and_their_primary_flag_are_reported_as_not_protected()
    {
        // The nation (always published) is 2 = A + B, both small: flagged primary, each lies in 1..4, so each is 1.
        var geography = new TableDimension(3, [new Family(0, [1, 2])]);
        var table = new LinkedTable(geography, [OneSlot], OneCell, [2, 1, 1], [CellKind.Known, CellKind.Protectable, CellKind.Protectable]);

        var plan = Planner.Plan(table);

        Assert.Equal([1, 2], plan.Narrowed.Where(n => n.Range == 0).Select(n => n.Cell).Order());
        using var attacker = Attack(table, plan);
        attacker.Relation("0", ["1", "2"]);
        Assert.Equal((1.0, 1.0), attacker.Interval("1"));
    }

    [Fact]
    public void With_one_flag_for_every_suppressed_cell_a_year_of_small_quarters_is_no_longer_pinned_by_their_flags()
    {
        // Nation 0 = departments A (1) and B (2), by four quarters and their year (slot 4); index 5 * area + slot. A's
        // quarters are 1 each, its year 4: every one is small. A reader told that they are primary knows each lies in
        // 1..4, so A's year is at least 4 and at most 4: it is 4, whatever is hidden. Told only that they are hidden,
        // a reader knows that they are not negative, and the plan can protect them.
        long?[] values = [11, 11, 11, 11, 44, 1, 1, 1, 1, 4, 10, 10, 10, 10, 40];
        var geography = new TableDimension(3, [new Family(0, [1, 2])]);
        var time = new TableDimension(5, [new Family(4, [0, 1, 2, 3])]);
        var kinds = values.Select((_, i) => i < 5 ? CellKind.Known : CellKind.Protectable).ToArray();
        var table = new LinkedTable(geography, [time], OneCell, values, kinds);

        var flagged = Planner.Plan(table);
        var oneFlag = new SecrecyPlanner(new SecrecyOptions()).Plan(table);

        var pinned = Assert.Single(flagged.Narrowed, n => n.Cell == 9);
        Assert.Equal(0, pinned.Range);
        Assert.True(pinned.AtTableLimit);
        Assert.Empty(oneFlag.Narrowed);
        using var attacker = new IntervalAttacker();
        for (var i = 0; i < values.Length; i++)
        {
            if (oneFlag.Statuses[i] == CellConfidentiality.Free)
            {
                attacker.Known($"{i}", values[i]!.Value);
            }
            else
            {
                attacker.Hidden($"{i}");
            }
        }

        for (var t = 0; t < 5; t++)
        {
            attacker.Relation($"{t}", [$"{5 + t}", $"{10 + t}"]);
        }

        foreach (var area in new[] { 0, 5, 10 })
        {
            attacker.Relation($"{area + 4}", [$"{area}", $"{area + 1}", $"{area + 2}", $"{area + 3}"]);
        }

        foreach (var cell in new[] { 5, 6, 7, 8, 9 })
        {
            AssertRange(attacker.Interval($"{cell}"), 2);
        }
    }

    [Fact]
    public void Both_partial_modes_publish_from_one_plan_so_the_table_without_partial_figures_is_a_subset()
    {
        var world = RandomWorld.Generate(7);
        var consolidator = world.NewConsolidator();
        var indicator = RandomWorld.Schema.Indicator("personnes_nouvelles");
        var hierarchies = HierarchyDisclosure.Slots(2025).Distinct().ToDictionary(s => s, s => consolidator.ForHierarchy(s.Period, s.Distinct));
        var secrecy = HierarchyDisclosure.Protect((p, d) => hierarchies[(p, d)], world.Registry, indicator, 2025, Planner);

        var partial = 0;
        foreach (var ((period, distinct), areas) in hierarchies.Where(h => h.Key.Distinct == DistinctCounts.Exact))
        {
            foreach (var (area, figures) in areas.Where(a => a.Key.Level != AreaLevel.National))
            {
                foreach (var cell in figures.Schema.Layout.Cells.Where(c => c.Indicator.Code == indicator.Code))
                {
                    var free = secrecy.StatusOf(area, period, cell, distinct) == CellConfidentiality.Free;
                    long? with = free ? figures.StatedValue(cell.Index, excludePartial: false) : null;
                    long? without = free ? figures.StatedValue(cell.Index, excludePartial: true) : null;
                    Assert.True(without is null || without == with, $"{area} {period} {cell.Key}");
                    partial += figures.IsPartial && with is not null ? 1 : 0;
                }
            }
        }

        Assert.True(partial > 0, "the workload has no published partial figure");
    }

    [Fact]
    public void The_same_data_always_gives_the_same_plan()
    {
        var world = RandomWorld.Generate(8);
        var consolidator = world.NewConsolidator();
        var indicator = RandomWorld.Schema.Indicator("entretiens");
        IReadOnlyDictionary<AreaRef, AreaFigures> Hierarchy(Period p, DistinctCounts d) => consolidator.ForHierarchy(p, d);

        var first = HierarchyDisclosure.Protect(Hierarchy, world.Registry, indicator, 2024, Planner);
        var second = HierarchyDisclosure.Protect(Hierarchy, world.Registry, indicator, 2024, Planner);

        Assert.Equal(first.Plan.Statuses, second.Plan.Statuses);
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(5, 4)]
    [InlineData(2, 1)]
    public void Settings_that_cannot_be_met_are_refused(int threshold, int range) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecrecyPlanner(new SecrecyOptions { Threshold = threshold, ProtectionRange = range }));

    /// <summary>An attacker that sees the plan's published cells and knows what the flags of the others say.</summary>
    /// <summary>
    /// Nation (0), its only region (1) and two departments, A (2, small) and B (3), by three months and their quarter
    /// (slot 3); cell (area, slot) has index 4 * area + slot. B's quarter may be a cell without a value.
    /// </summary>
    private static LinkedTable MonthsAndQuarter(bool unknownQuarterOfB = false)
    {
        var geography = new TableDimension(4, [new Family(0, [1]), new Family(1, [2, 3])]);
        var time = new TableDimension(4, [new Family(3, [0, 1, 2])]);
        long[] a = [2, 10, 12, 24], b = [20, 20, 20, 60];
        var values = new long?[16];
        var kinds = new CellKind[16];
        for (var t = 0; t < 4; t++)
        {
            (values[t], values[4 + t], values[8 + t], values[12 + t]) = (a[t] + b[t], a[t] + b[t], a[t], b[t]);
            (kinds[t], kinds[4 + t], kinds[8 + t], kinds[12 + t]) = (CellKind.Known, CellKind.Protectable, CellKind.Protectable, CellKind.Protectable);
        }

        if (unknownQuarterOfB)
        {
            (values[15], kinds[15]) = (null, CellKind.Unknown);
        }

        return new LinkedTable(geography, [time], OneCell, values, kinds);
    }

    /// <summary>An attacker that knows every published cell of the plan, primary ones in 1..4, secondary ones non-negative (relations to add).</summary>
    internal static IntervalAttacker Attack(LinkedTable table, SecrecyPlan plan)
    {
        var attacker = new IntervalAttacker();
        for (var i = 0; i < table.Size; i++)
        {
            switch (plan.Statuses[i])
            {
                case CellConfidentiality.Primary:
                    attacker.Hidden($"{i}", 1, 4);
                    break;
                case CellConfidentiality.Secondary:
                    attacker.Hidden($"{i}");
                    break;
                default:
                    // A cell without a value is never published: the attacker knows nothing of it.
                    if (table.Values[i] is { } value)
                    {
                        attacker.Known($"{i}", value);
                    }

                    break;
            }
        }

        return attacker;
    }

    private static void AssertRange((double Low, double High) interval, double range) =>
        Assert.True(interval.High - interval.Low >= range - 1e-6, $"the attacker narrows the cell to [{interval.Low}, {interval.High}]");
}
