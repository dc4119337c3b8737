using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Periods;
using Observatoire.Core.Tests.Consolidation;
using static Observatoire.Core.Consolidation.Consolidator;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// The planner skips the linear programs of a direction that <see cref="MoveSigns"/> proves a cell cannot move in:
/// on random national years, wherever it says so, the linear program over the same sub-table indeed reaches nothing.
/// </summary>
public class MoveSignsTests
{
    [Theory]
    [InlineData(201, "personnes_nouvelles")]
    [InlineData(202, "entretiens")]
    public void A_cell_proven_unable_to_move_is_one_the_linear_program_cannot_move(int seed, string code)
    {
        var world = RandomWorld.Generate(seed);
        var consolidator = world.NewConsolidator();
        var hierarchies = new Dictionary<(Period, DistinctCounts), IReadOnlyDictionary<AreaRef, AreaFigures>>();
        var table = HierarchyDisclosure.Protect(
            (period, distinct) => hierarchies.TryGetValue((period, distinct), out var h) ? h : hierarchies[(period, distinct)] = consolidator.ForHierarchy(period, distinct),
            world.Registry,
            RandomWorld.Schema.Indicator(code),
            2025,
            new SecrecyPlanner(new SecrecyOptions())).Table;
        var primary = Enumerable.Range(0, table.Size).Select(i => table.Kinds[i] == CellKind.Protectable && table.Values[i] is >= 1 and < 5).ToArray();
        var checker = new CertificateChecker(table, 5, primary);
        var signs = new MoveSigns(checker);
        var programs = new LinearProgramSearch(checker);
        int pinned = 0, movable = 0;

        foreach (var cell in Enumerable.Range(0, table.Size).Where(i => primary[i]).Where((_, i) => i % 7 == 0).Take(60))
        {
            var (g, _, _) = table.Coordinates(cell);
            var areas = Family(table.Geography, g).Append(g).ToList();
            var slots = Enumerable.Range(0, table.TimeCount).ToList();
            var codes = Enumerable.Range(0, table.Cells.Count).ToList();
            foreach (var limit in new[] { 2, -2 })
            {
                if (signs.CanMove(cell, Math.Sign(limit), areas, slots, codes))
                {
                    movable++;
                    continue;
                }

                pinned++;
                Assert.Null(programs.Furthest(cell, limit, areas, slots, codes));
            }
        }

        Assert.True(pinned > 0 && movable > 0, $"{pinned} pinned, {movable} movable: both must occur for the check to mean something.");
    }

    private static IEnumerable<int> Family(TableDimension dimension, int coordinate)
    {
        var family = dimension.ParentFamilyOf(coordinate);
        var relatives = family < 0 ? [] : dimension.Families[family].Children.Append(dimension.Families[family].Parent);
        return relatives.Concat(dimension.ChildFamiliesOf(coordinate).SelectMany(f => dimension.Families[f].Children));
    }
}
