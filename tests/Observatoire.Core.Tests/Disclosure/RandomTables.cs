using Observatoire.Core.Disclosure;

namespace Observatoire.Core.Tests.Disclosure;

/// <summary>Consistent random hierarchical tables with many small counts, zeros and some null cells.</summary>
internal static class RandomTables
{
    /// <summary>
    /// A random 2-level (nation, departments) or 3-level (nation, regions, departments) table with a random
    /// breakdown. Area 0 is the nation, whose cells are not protectable; parents come before their children.
    /// </summary>
    public static (HierarchicalTableBuilder Builder, DisclosureTable Table) Hierarchical(Random random)
    {
        var parents = new List<int> { -1 };
        if (random.Next(2) == 0)
        {
            parents.AddRange(Enumerable.Repeat(0, random.Next(2, 7)));
        }
        else
        {
            var regions = random.Next(2, 5);
            parents.AddRange(Enumerable.Repeat(0, regions));
            for (var region = 1; region <= regions; region++)
            {
                // One department in a region happens (Corsica aside, overseas regions): region and department coincide.
                parents.AddRange(Enumerable.Repeat(region, random.Next(1, 5)));
            }
        }

        var breakdown = random.Next(3) switch
        {
            0 => AreaBreakdown.WithTotal(random.Next(2, 7)),
            1 => AreaBreakdown.Cross(random.Next(2, 4), random.Next(2, 4)),
            _ => AreaBreakdown.WithTotal(1 + random.Next(1, 3)),
        };

        var builder = new HierarchicalTableBuilder(parents, breakdown);
        var values = Values(builder, parents, () => SmallCount(random));
        foreach (var cell in Enumerable.Range(builder.Breakdown.CellCount, builder.CellCount - builder.Breakdown.CellCount))
        {
            if (random.NextDouble() < 0.04)
            {
                values[cell] = null;
            }
        }

        return (builder, builder.Build(values, area => parents[area] >= 0));
    }

    /// <summary>The national hierarchy: 101 departments, 18 regions and the nation, with a 22-cell breakdown.</summary>
    public static (HierarchicalTableBuilder Builder, DisclosureTable Table) National(Random random)
    {
        const int Regions = 18;
        const int Departments = 101;
        var parents = new List<int> { -1 };
        parents.AddRange(Enumerable.Repeat(0, Regions));

        // Every region gets a department, the others are spread at random.
        parents.AddRange(Enumerable.Range(0, Departments).Select(d => 1 + (d < Regions ? d : random.Next(Regions))));
        var builder = new HierarchicalTableBuilder(parents, AreaBreakdown.WithTotal(21));
        var values = Values(builder, parents, () => random.Next(11));
        return (builder, builder.Build(values, area => parents[area] >= 0));
    }

    public static long SmallCount(Random random) => random.Next(10) switch
    {
        < 3 => 0,
        < 7 => random.Next(1, 5),
        _ => random.Next(5, 16),
    };

    /// <summary>Draws the cells that are no margin's total in every childless area, then fills totals and parents.</summary>
    private static long?[] Values(HierarchicalTableBuilder builder, IReadOnlyList<int> parents, Func<long> draw)
    {
        var width = builder.Breakdown.CellCount;
        var totals = builder.Breakdown.Margins.Select(m => m.Total).ToHashSet();
        var values = new long?[builder.CellCount];
        for (var area = parents.Count - 1; area >= 0; area--)
        {
            var isLeaf = !parents.Contains(area);
            if (isLeaf)
            {
                for (var local = 0; local < width; local++)
                {
                    values[builder.CellIndex(area, local)] = totals.Contains(local) ? null : draw();
                }

                // Margins of a breakdown may chain (a grand total of row totals): repeat until every total is known.
                bool filled;
                do
                {
                    filled = false;
                    foreach (var margin in builder.Breakdown.Margins)
                    {
                        var total = builder.CellIndex(area, margin.Total);
                        if (values[total] is null && margin.Parts.All(p => values[builder.CellIndex(area, p)] is not null))
                        {
                            values[total] = margin.Parts.Sum(p => values[builder.CellIndex(area, p)]!.Value);
                            filled = true;
                        }
                    }
                }
                while (filled);
            }

            if (parents[area] >= 0)
            {
                for (var local = 0; local < width; local++)
                {
                    var parentCell = builder.CellIndex(parents[area], local);
                    values[parentCell] = (values[parentCell] ?? 0) + values[builder.CellIndex(area, local)]!.Value;
                }
            }
        }

        return values;
    }
}
