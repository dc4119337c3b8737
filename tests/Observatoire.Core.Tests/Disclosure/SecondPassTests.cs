using Observatoire.Core.Disclosure;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// The planner's second pass (<see cref="RangeRepair"/>) on a small hand-made table where the first pass's sub-table
/// is too narrow: the attacker (<see cref="IntervalAttacker"/>, relations written from the table's structure, not the
/// planner's) pins a primary cell that one more suppression protects.
/// </summary>
public class SecondPassTests
{
    private const int Slots = 4;

    /// <summary>
    /// Nation (0) = regions 1, 2, 3; region 1 = departments 4, 5, 6; region 2 = 7, 8, 9; region 3 = 10, 11, 12; by three
    /// months and their quarter (slot 3). Cell (area, slot) has index 4 * area + slot.
    /// </summary>
    private static readonly long[][] Values =
    [
        [14, 19, 32, 65],
        [3, 4, 16, 23], [4, 6, 11, 21], [7, 9, 5, 21],
        [1, 2, 9, 12], [1, 1, 1, 3], [1, 1, 6, 8],
        [0, 0, 5, 5], [2, 6, 3, 11], [2, 0, 3, 5],
        [2, 2, 2, 6], [3, 1, 1, 5], [2, 6, 2, 10],
    ];

    private static readonly int[][] Regions = [[4, 5, 6], [7, 8, 9], [10, 11, 12]];

    // Region 2 in the first month: 4, flagged primary, so it can only fall; falling by 2 takes both its small departments
    // (8 and 9, each 2, at least 1) and the nation (published) takes it back from region 1 (3, at most 4: +1 only) and
    // region 3 (7, published). The first pass's programs see region 3 but not its departments, so it cannot move:
    // region 1 and region 2 add up to 7 and region 2 lies in 3..4.
    private const int RegionTwoFirstMonth = 4 * 2;
    private const int RegionThreeFirstMonth = 4 * 3;

    [Fact]
    public void A_region_whose_cover_lies_in_another_regions_departments_gets_its_range_from_the_second_pass()
    {
        var table = Table();
        var firstPassOnly = new SecrecyPlanner(new SecrecyOptions { MaxRepairVariables = 0 }).Plan(table);
        var plan = new SecrecyPlanner(new SecrecyOptions()).Plan(table);

        // Without the second pass: narrowed to 3..4 although the table allows more.
        Assert.Equal(CellConfidentiality.Primary, firstPassOnly.Statuses[RegionTwoFirstMonth]);
        Assert.Equal(1, Range(table, firstPassOnly, RegionTwoFirstMonth), 6);
        var narrow = Assert.Single(firstPassOnly.Narrowed, n => n.Cell == RegionTwoFirstMonth);
        Assert.False(narrow.AtTableLimit);

        // With it: region 3's first month is hidden too, and the attacker's range is the full one.
        Assert.Equal(CellConfidentiality.Secondary, plan.Statuses[RegionThreeFirstMonth]);
        Assert.Equal(CellConfidentiality.Free, firstPassOnly.Statuses[RegionThreeFirstMonth]);
        Assert.True(Range(table, plan, RegionTwoFirstMonth) >= 2 - 1e-6);
        Assert.DoesNotContain(plan.Narrowed, n => n.Cell == RegionTwoFirstMonth);
        Assert.Equal(1, plan.Profile.Repaired);

        // It only adds suppressions, so no primary cell's range narrows, and every one the plan does not list is protected.
        Assert.All(Enumerable.Range(0, table.Size), i => Assert.True(plan.Statuses[i] != CellConfidentiality.Free || firstPassOnly.Statuses[i] == CellConfidentiality.Free));
        foreach (var cell in Enumerable.Range(0, table.Size).Where(i => plan.Statuses[i] == CellConfidentiality.Primary))
        {
            var range = Range(table, plan, cell);
            Assert.True(range >= Range(table, firstPassOnly, cell) - 1e-6, $"cell {cell}");
            Assert.True(range >= (plan.Narrowed.FirstOrDefault(n => n.Cell == cell)?.Range ?? 2) - 1e-6, $"cell {cell}: {range}");
        }
    }

    [Fact]
    public void The_second_pass_gives_the_same_plan_for_the_same_table()
    {
        var planner = new SecrecyPlanner(new SecrecyOptions());

        Assert.Equal(planner.Plan(Table()).Statuses, planner.Plan(Table()).Statuses);
    }

    private static LinkedTable Table()
    {
        var geography = new TableDimension(13, [new Family(0, [1, 2, 3]), .. Regions.Select((d, r) => new Family(1 + r, d))]);
        var time = new TableDimension(Slots, [new Family(3, [0, 1, 2])]);
        var values = Values.SelectMany(v => v).Select(v => (long?)v).ToArray();
        var kinds = values.Select((_, i) => i < Slots ? CellKind.Known : CellKind.Protectable).ToArray();
        return new LinkedTable(geography, [time], new TableDimension(1, []), values, kinds);
    }

    /// <summary>The attacker's range of a primary cell: published cells known, primary ones in 1..4, secondary ones non-negative.</summary>
    private static double Range(LinkedTable table, SecrecyPlan plan, int cell)
    {
        using var attacker = SecrecyLeakTests.Attack(table, plan);
        for (var t = 0; t < Slots; t++)
        {
            attacker.Relation($"{t}", [.. Enumerable.Range(1, 3).Select(r => $"{(Slots * r) + t}")]);
            for (var r = 0; r < Regions.Length; r++)
            {
                attacker.Relation($"{(Slots * (r + 1)) + t}", [.. Regions[r].Select(d => $"{(Slots * d) + t}")]);
            }
        }

        for (var area = 0; area < Values.Length; area++)
        {
            attacker.Relation($"{(Slots * area) + 3}", [.. Enumerable.Range(0, 3).Select(m => $"{(Slots * area) + m}")]);
        }

        var (low, high) = attacker.Interval($"{cell}");
        return high - low;
    }
}
