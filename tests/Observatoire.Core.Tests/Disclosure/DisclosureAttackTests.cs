using Observatoire.Core.Disclosure;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>
/// Protected tables against an independent attacker (<see cref="Attacker"/>) that solves the published
/// margins for the hidden cells.
/// </summary>
public class DisclosureAttackTests
{
    [Fact]
    public void No_suppressed_cell_of_a_random_hierarchical_table_can_be_recomputed_from_the_published_cells()
    {
        var random = new Random(20250311);
        var secondaries = 0;
        for (var t = 0; t < 200; t++)
        {
            var (_, table) = RandomTables.Hierarchical(random);
            var threshold = t % 4 == 3 ? 3 : 5;
            var control = new DisclosureControl(new DisclosureOptions { Threshold = threshold });

            var statuses = control.Protect(table);

            AssertPrimaryRule(table, statuses, threshold);
            Assert.Empty(Attacker.RecoveredSuppressedCells(table, statuses));
            Assert.Equal(statuses, control.Protect(table));
            secondaries += statuses.Count(s => s == CellConfidentiality.Secondary);
        }

        // The tables are small-count heavy: secondary suppression must actually have been exercised.
        Assert.True(secondaries > 200, $"only {secondaries} secondary cells over 200 tables");
    }

    [Fact]
    public void A_national_size_table_is_protected_against_recomputation()
    {
        // 101 departments, 18 regions and the nation, 22 cells each: hundreds of primary cells.
        var (_, table) = RandomTables.National(new Random(42));

        var statuses = new DisclosureControl(new DisclosureOptions()).Protect(table);

        AssertPrimaryRule(table, statuses, 5);
        Assert.True(statuses.Count(s => s == CellConfidentiality.Primary) > 300);
        Assert.Empty(Attacker.RecoveredSuppressedCells(table, statuses));
    }

    /// <summary>Primary cells are exactly the protectable counts 1 to k-1; unprotectable and null cells are free.</summary>
    private static void AssertPrimaryRule(DisclosureTable table, CellConfidentiality[] statuses, int threshold)
    {
        Assert.Equal(table.Values.Count, statuses.Length);
        for (var i = 0; i < statuses.Length; i++)
        {
            var small = table.Protectable[i] && table.Values[i] is >= 1 and var v && v < threshold;
            Assert.Equal(small, statuses[i] == CellConfidentiality.Primary);
            if (!table.Protectable[i] || table.Values[i] is null)
            {
                Assert.Equal(CellConfidentiality.Free, statuses[i]);
            }
        }
    }
}
