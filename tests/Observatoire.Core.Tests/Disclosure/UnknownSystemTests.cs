using Observatoire.Core.Disclosure;

namespace Observatoire.Core.Tests.Disclosure;

public class UnknownSystemTests
{
    [Fact]
    public void The_incremental_elimination_finds_exactly_the_hidden_cells_the_attacker_recovers()
    {
        // Both directions matter here, unlike on protected tables where nothing is recovered: hidden sets are
        // random, so many cells are recoverable and many are not.
        var random = new Random(8128);
        var recoveredSeen = 0;
        var protectedSeen = 0;
        for (var t = 0; t < 60; t++)
        {
            var (_, table) = RandomTables.Hierarchical(random);
            var n = table.Values.Count;
            var system = new UnknownSystem(n, Equations(table));
            var hidden = new bool[n];
            var order = Enumerable.Range(0, n).Where(i => table.Values[i] is null || random.NextDouble() < 0.35).OrderBy(_ => random.Next()).ToList();
            var checkpoints = new[] { order.Count / 3, 2 * order.Count / 3, order.Count };
            for (var k = 0; k < order.Count; k++)
            {
                system.MakeUnknown(order[k]);
                hidden[order[k]] = true;
                if (!checkpoints.Contains(k + 1))
                {
                    continue;
                }

                var recovered = Attacker.Recovered(table, hidden);
                for (var i = 0; i < n; i++)
                {
                    Assert.Equal(recovered[i], system.IsDetermined(i));
                    recoveredSeen += recovered[i] ? 1 : 0;
                    protectedSeen += hidden[i] && !recovered[i] ? 1 : 0;
                }
            }
        }

        Assert.True(recoveredSeen > 100 && protectedSeen > 100, $"{recoveredSeen} recovered, {protectedSeen} protected");
    }

    [Fact]
    public void Primary_suppression_alone_leaves_cells_the_attacker_recovers()
    {
        // The attacker must have teeth: without secondary suppression, small cells are recomputed from margins.
        var random = new Random(3);
        var recovered = 0;
        for (var t = 0; t < 20; t++)
        {
            var (_, table) = RandomTables.Hierarchical(random);
            var primaryOnly = table.Values
                .Select((v, i) => table.Protectable[i] && v is >= 1 and < 5 ? CellConfidentiality.Primary : CellConfidentiality.Free)
                .ToArray();
            recovered += Attacker.RecoveredSuppressedCells(table, primaryOnly).Count;
        }

        Assert.True(recovered > 20, $"only {recovered} cells recovered");
    }

    /// <summary>+1 on the total, -1 on each part, repeated cells summed.</summary>
    private static (int Cell, long Coefficient)[][] Equations(DisclosureTable table) =>
        table.Margins
            .Select(m => m.Parts.Select(p => (Cell: p, Coefficient: -1L)).Prepend((Cell: m.Total, Coefficient: 1L))
                .GroupBy(term => term.Cell, term => term.Coefficient)
                .Select(g => (Cell: g.Key, Coefficient: g.Sum()))
                .Where(term => term.Coefficient != 0)
                .ToArray())
            .ToArray();
}
