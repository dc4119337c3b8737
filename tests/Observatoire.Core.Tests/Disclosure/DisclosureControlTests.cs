using Observatoire.Core.Disclosure;

namespace Observatoire.Core.Tests.Disclosure;

public class DisclosureControlTests
{
    private const CellConfidentiality F = CellConfidentiality.Free;
    private const CellConfidentiality A = CellConfidentiality.Primary;
    private const CellConfidentiality D = CellConfidentiality.Secondary;

    private static readonly DisclosureControl Control = new(new DisclosureOptions());

    [Fact]
    public void Counts_from_1_to_4_are_primary_while_0_and_5_are_published()
    {
        var table = new DisclosureTable([0, 1, 2, 3, 4, 5, 6, 100], Enumerable.Repeat(true, 8).ToArray(), []);

        Assert.Equal([F, A, A, A, A, F, F, F], Control.Protect(table));
    }

    [Fact]
    public void The_threshold_option_sets_the_primary_rule()
    {
        var table = new DisclosureTable([0, 1, 2, 3, 9, 10], Enumerable.Repeat(true, 6).ToArray(), []);

        Assert.Equal([F, A, A, F, F, F], new DisclosureControl(new DisclosureOptions { Threshold = 3 }).Protect(table));
        Assert.Equal([F, A, A, A, A, F], new DisclosureControl(new DisclosureOptions { Threshold = 10 }).Protect(table));
    }

    [Fact]
    public void Cells_that_are_not_protectable_are_never_suppressed()
    {
        // The total is a national figure: it stays published, so the small part needs a partner among the parts.
        var table = new DisclosureTable([13, 2, 1, 10], [false, false, true, true], [new Margin(0, [1, 2, 3])]);

        Assert.Equal([F, F, A, D], Control.Protect(table));
    }

    [Fact]
    public void A_single_small_cell_of_a_one_dimensional_table_gets_the_smallest_other_cell_suppressed_and_the_total_stays_published()
    {
        var table = new DisclosureTable([30, 2, 8, 6, 14], Enumerable.Repeat(true, 5).ToArray(), [new Margin(0, [1, 2, 3, 4])]);

        Assert.Equal([F, A, F, D, F], Control.Protect(table));
    }

    [Fact]
    public void Two_small_cells_of_one_margin_protect_each_other()
    {
        var table = new DisclosureTable([30, 2, 8, 3, 17], Enumerable.Repeat(true, 5).ToArray(), [new Margin(0, [1, 2, 3, 4])]);

        Assert.Equal([F, A, F, A, F], Control.Protect(table));
    }

    [Fact]
    public void A_zero_is_suppressed_only_when_no_positive_cell_can_protect()
    {
        var positiveAvailable = new DisclosureTable([9, 3, 0, 6], Enumerable.Repeat(true, 4).ToArray(), [new Margin(0, [1, 2, 3])]);
        var onlyZeros = new DisclosureTable([3, 3, 0, 0], [false, true, true, true], [new Margin(0, [1, 2, 3])]);

        Assert.Equal([F, A, F, D], Control.Protect(positiveAvailable));
        Assert.Equal([F, A, D, F], Control.Protect(onlyZeros));
    }

    [Fact]
    public void A_null_cell_hides_a_small_cell_of_its_margin_and_is_reported_free()
    {
        // The attacker only learns that the small cell and the null cell add up to 10.
        var table = new DisclosureTable([30, 2, null, 8, 12], Enumerable.Repeat(true, 5).ToArray(), [new Margin(0, [1, 2, 3, 4])]);

        Assert.Equal([F, A, F, F, F], Control.Protect(table));
    }

    [Fact]
    public void Secondary_suppression_in_a_two_way_table_closes_a_rectangle()
    {
        // 2x3 with its margins, row-major, row 0 and column 0 are totals: cell (r, c) is r * 4 + c.
        long?[] values =
        [
            52, 13, 19, 20,
            22, 3, 9, 10,
            30, 10, 10, 10,
        ];
        var table = new DisclosureTable(values, Enumerable.Repeat(true, 12).ToArray(), AreaBreakdown.Cross(2, 3).Margins);

        var statuses = Control.Protect(table);

        // The small cell, the smallest cell of its row, and the two cells below them.
        Assert.Equal(
            [
                F, F, F, F,
                F, A, D, F,
                F, D, D, F,
            ],
            statuses);
        Assert.Empty(Attacker.RecoveredSuppressedCells(table, statuses));
    }

    [Fact]
    public void A_region_with_a_single_department_has_its_cells_suppressed_with_the_department_cells()
    {
        // Nation (0) -> regions 1 and 2; region 1 has only department 3, region 2 has departments 4 and 5.
        int[] parents = [-1, 0, 0, 1, 2, 2];
        var builder = new HierarchicalTableBuilder(parents, AreaBreakdown.WithTotal(3));
        long[][] departments = [[2, 9, 11], [6, 7, 8], [10, 12, 6]];
        var values = new long?[builder.CellCount];
        for (var d = 0; d < 3; d++)
        {
            Set(3 + d, departments[d]);
        }

        Set(1, departments[0]);
        Set(2, Sum(departments[1], departments[2]));
        Set(0, Sum(Sum(departments[0], departments[1]), departments[2]));
        var table = builder.Build(values, area => area != 0);

        var statuses = Control.Protect(table);

        // Region 1 equals department 3 cell by cell: whatever hides one must hide the other.
        Assert.Equal(A, statuses[builder.CellIndex(3, 1)]);
        Assert.Contains(D, statuses);
        Assert.All(
            Enumerable.Range(0, builder.Breakdown.CellCount),
            local => Assert.Equal(statuses[builder.CellIndex(3, local)] == F, statuses[builder.CellIndex(1, local)] == F));
        Assert.All(Enumerable.Range(0, builder.Breakdown.CellCount), local => Assert.Equal(F, statuses[builder.CellIndex(0, local)]));
        Assert.Empty(Attacker.RecoveredSuppressedCells(table, statuses));

        void Set(int area, long[] parts)
        {
            values[builder.CellIndex(area, 0)] = parts.Sum();
            for (var p = 0; p < parts.Length; p++)
            {
                values[builder.CellIndex(area, p + 1)] = parts[p];
            }
        }

        static long[] Sum(long[] x, long[] y) => x.Zip(y, (a, b) => a + b).ToArray();
    }

    [Fact]
    public void A_cell_that_always_published_cells_reveal_stays_primary_without_useless_suppressions()
    {
        // Total and the other parts are national figures: nothing can hide the small part.
        var table = new DisclosureTable([12, 3, 4, 5, 7], [false, true, false, false, true], [new Margin(0, [1, 2, 3]), new Margin(4, [1, 2])]);

        Assert.Equal([F, A, F, F, F], Control.Protect(table));
    }

    [Fact]
    public void The_same_table_always_gets_the_same_suppressions()
    {
        var (_, table) = RandomTables.National(new Random(7));

        var first = new DisclosureControl(new DisclosureOptions()).Protect(table);
        var second = new DisclosureControl(new DisclosureOptions()).Protect(table);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Malformed_tables_and_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Control.Protect(new DisclosureTable([1, 2], [true], [])));
        Assert.Throws<ArgumentException>(() => Control.Protect(new DisclosureTable([1, 2], [true, true], [new Margin(0, [1, 2])])));
        Assert.Throws<ArgumentException>(() => Control.Protect(new DisclosureTable([1, -2], [true, true], [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DisclosureControl(new DisclosureOptions { Threshold = 0 }));
    }
}
