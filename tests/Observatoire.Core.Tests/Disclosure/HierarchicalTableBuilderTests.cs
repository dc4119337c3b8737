using Observatoire.Core.Disclosure;

namespace Observatoire.Core.Tests.Disclosure;

public class HierarchicalTableBuilderTests
{
    [Fact]
    public void Every_area_sums_its_breakdown_and_every_parent_sums_its_children_cell_by_cell()
    {
        // Nation 0 -> regions 1, 2; region 1 -> departments 3, 4; region 2 -> department 5.
        var builder = new HierarchicalTableBuilder([-1, 0, 0, 1, 1, 2], AreaBreakdown.WithTotal(2));

        Assert.Equal(18, builder.CellCount);
        Assert.Equal(13, builder.CellIndex(4, 1));
        var margins = builder.Margins.Select(m => (m.Total, string.Join(",", m.Parts))).ToList();
        Assert.Equal(6 + 3 * 3, margins.Count);
        Assert.Contains((12, "13,14"), margins);
        Assert.Contains((0, "3,6"), margins);
        Assert.Contains((4, "10,13"), margins);
        Assert.Contains((8, "17"), margins);
    }

    [Fact]
    public void A_two_way_breakdown_has_every_row_and_column_margin()
    {
        var breakdown = AreaBreakdown.Cross(2, 3);
        var margins = breakdown.Margins.Select(m => (m.Total, string.Join(",", m.Parts))).ToList();

        Assert.Equal(12, breakdown.CellCount);
        Assert.Equal(3 + 4, margins.Count);
        Assert.Contains((4, "5,6,7"), margins);
        Assert.Contains((2, "6,10"), margins);
        Assert.Contains((0, "1,2,3"), margins);
        Assert.Contains((0, "4,8"), margins);
    }

    [Fact]
    public void Areas_can_be_made_protectable_all_but_the_nation()
    {
        var builder = new HierarchicalTableBuilder([-1, 0, 0], AreaBreakdown.WithTotal(1));

        var table = builder.Build(new long?[6], area => area != 0);

        Assert.Equal([false, false, true, true, true, true], table.Protectable);
        Assert.Same(builder.Margins, table.Margins);
    }

    [Fact]
    public void A_cycle_of_parents_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new HierarchicalTableBuilder([-1, 2, 1], AreaBreakdown.WithTotal(2)));
        Assert.Throws<ArgumentException>(() => new HierarchicalTableBuilder([-1, 1], AreaBreakdown.WithTotal(2)));
        Assert.Throws<ArgumentException>(() => new HierarchicalTableBuilder([-1, 5], AreaBreakdown.WithTotal(2)));
    }
}
