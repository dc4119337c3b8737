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
        var firstPassOnly = new SecrecyPlanner(new SecrecyOptions { MaxRepairVariables = 0, PrimaryFlagPublished = true }).Plan(table);
        var plan = new SecrecyPlanner(new SecrecyOptions { PrimaryFlagPublished = true }).Plan(table);

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
    public void The_second_pass_takes_the_cells_a_reader_would_recover_exactly_first()
    {
        // In the first pass's order: a cell narrowed to 1, one at its table's limit, two with no range at all, one narrowed to 1.5.
        NarrowCell[] narrowed = [new(10, 1, 2), new(11, 0, 0), new(12, 0, 2), new(13, 0, 1), new(14, 1.5, 2)];

        var order = SecrecyPlanner.RepairOrder(narrowed).Select(n => n.Cell);

        // A budget that runs out leaves narrow ranges, not disclosures; the cell at its limit is not taken.
        Assert.Equal([12, 13, 10, 14], order);
    }

    [Fact]
    public void The_second_pass_gives_the_same_plan_for_the_same_table()
    {
        var planner = new SecrecyPlanner(new SecrecyOptions { PrimaryFlagPublished = true });

        Assert.Equal(planner.Plan(Table()).Statuses, planner.Plan(Table()).Statuses);
    }

    [Fact]
    public void The_second_pass_first_solves_over_the_cells_cheapest_codes_only_and_that_suffices()
    {
        // Nation (known) = areas 1 and 2, by a total and ten categories; area 1's first category (2) is the only primary
        // cell. Raising it by 2 against its cheapest sibling (the second category, 5) and the other way in area 2 needs
        // none of the other codes: the first program takes the codes of the five cheapest moves only (10 variables
        // instead of 22 with every related code).
        var (repair, programs, reachedUp, reachedDown) = Categories([5, 6, 7, 8, 9, 10, 11, 12, 13], [20, 21, 22, 23, 24, 25, 26, 27, 28]);

        var width = repair.Widen(CategoryCell(1, 1), attainable: 2, maxUp: 2, maxDown: 1, reachedUp, reachedDown);

        Assert.Equal(2, width, 6);
        Assert.Equal([1, 0, 0, 0], repair.ProgramsByScope);
        Assert.Equal(2 * 5, programs.Variables);
        Assert.Equal(1, repair.Widened);
    }

    [Fact]
    public void Where_the_cheapest_codes_cannot_move_the_cell_the_second_pass_widens_to_every_related_code()
    {
        // The same, but the cheap categories 2 to 5 are structural zeros in area 2, so area 1's are pinned by the known
        // nation: only the costlier categories 6 to 10 can take the move, which the program over every code finds.
        var (repair, _, reachedUp, reachedDown) = Categories([5, 6, 7, 8, 30, 31, 32, 33, 34], [0, 0, 0, 0, 40, 41, 42, 43, 44]);

        var width = repair.Widen(CategoryCell(1, 1), attainable: 2, maxUp: 2, maxDown: 1, reachedUp, reachedDown);

        Assert.Equal(2, width, 6);
        Assert.Equal([0, 1, 0, 0], repair.WidenedByScope);
        Assert.Equal(1, repair.ProgramsByScope[1]);
    }

    [Fact]
    public void A_program_that_would_cost_more_than_the_budget_left_is_not_solved()
    {
        // The small program of the test above has 10 variables: solved with a budget of 10, not with 9.
        var (enough, _, up, down) = Categories([5, 6, 7, 8, 9, 10, 11, 12, 13], [20, 21, 22, 23, 24, 25, 26, 27, 28], budget: 10);
        Assert.Equal(2, enough.Widen(CategoryCell(1, 1), attainable: 2, maxUp: 2, maxDown: 1, up, down), 6);
        Assert.Equal(0, enough.TooLarge);

        var (starved, _, up9, down9) = Categories([5, 6, 7, 8, 9, 10, 11, 12, 13], [20, 21, 22, 23, 24, 25, 26, 27, 28], budget: 9);
        Assert.Equal(0, starved.Widen(CategoryCell(1, 1), attainable: 2, maxUp: 2, maxDown: 1, up9, down9), 6);
        Assert.Equal(0, starved.Programs);
        Assert.True(starved.TooLarge > 0);
    }

    private static int CategoryCell(int area, int code) => (11 * area) + code;

    /// <summary>Areas 1 and 2 (and the known nation, their sum) by a total and ten categories: area 1's first category is 2, area 2's is 10.</summary>
    private static (RangeRepair Repair, LinearProgramSearch Programs, double[] ReachedUp, double[] ReachedDown) Categories(long[] first, long[] second, long budget = 200_000)
    {
        long[][] areas = [[2, .. first], [10, .. second]];
        long[][] rows = [[.. Enumerable.Range(0, 10).Select(i => areas[0][i] + areas[1][i])], .. areas];
        var values = rows.SelectMany(r => r.Prepend(r.Sum())).Select(v => (long?)v).ToArray();
        var kinds = values.Select((v, i) => i < 11 || v == 0 ? CellKind.Known : CellKind.Protectable).ToArray();
        var table = new LinkedTable(new TableDimension(3, [new Family(0, [1, 2])]), [.. Enumerable.Repeat(new TableDimension(1, []), 11)], new TableDimension(11, [new Family(0, [.. Enumerable.Range(1, 10)])]), values, kinds);
        var primary = values.Select((v, i) => kinds[i] == CellKind.Protectable && v is >= 1 and < 5).ToArray();
        Assert.Equal([CategoryCell(1, 1)], Enumerable.Range(0, table.Size).Where(i => primary[i]));
        var checker = new CertificateChecker(table, 5, primary);
        var programs = new LinearProgramSearch(checker);
        var repair = new RangeRepair(checker, programs, new MoveSigns(checker), budget);
        return (repair, programs, new double[table.Size], new double[table.Size]);
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
