using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

/// <summary>
/// The yearly bilan's coherence reads every sub-period grid once, in place when it is a stored grid: the same findings
/// as the first form, which looked every cell up by key in every grid, on random years of random grids.
/// </summary>
public class BilanCoherenceEquivalenceTests
{
    private static readonly GridSchema Schema = SchemaCatalog.LoadEmbedded().Find("2025.1")!;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Findings_are_those_of_the_key_by_key_form(int seed)
    {
        var random = new Random(seed);
        var year = Period.OfYear(2025);
        var candidates = year.Split(PeriodKind.Month).Concat(year.Split(PeriodKind.Quarter)).Append(Period.OfYear(2024)).ToList();
        var found = 0;
        for (var round = 0; round < 200; round++)
        {
            var dense = new List<PeriodGrid>();
            var keyed = new List<PeriodGrid>();
            foreach (var period in candidates.Where(_ => random.Next(3) > 0).OrderBy(_ => random.Next()))
            {
                var cells = Schema.Layout.Cells.Select(_ => random.Next(4) == 0 ? 0 : random.Next(0, 40)).ToArray();
                dense.Add(new PeriodGrid(period, new CellValues(Schema, cells)));
                keyed.Add(new PeriodGrid(period, NormalizedGrid.ToValues(Schema, cells)));
                if (random.Next(10) == 0)
                {
                    // The same period twice: the tiling keeps the first.
                    var again = Schema.Layout.Cells.Select(_ => random.Next(0, 40)).ToArray();
                    dense.Add(new PeriodGrid(period, new CellValues(Schema, again)));
                    keyed.Add(new PeriodGrid(period, NormalizedGrid.ToValues(Schema, again)));
                }
            }

            var bilan = Schema.Layout.Cells.Select(_ => (long)random.Next(0, 400)).ToArray();

            var expected = ReferenceCheck(Schema, year, bilan, keyed);
            Assert.Equal(expected, BilanCoherence.Check(Schema, year, bilan, dense));
            Assert.Equal(expected, BilanCoherence.Check(Schema, year, bilan, keyed));
            found += expected.Count;
        }

        Assert.True(found > 200, $"{found} findings: the random years must exercise the checks");
    }

    // The first form, key by key, kept as the reference.
    private static IReadOnlyList<CoherenceFinding> ReferenceCheck(GridSchema schema, Period year, IReadOnlyList<long> cells, IReadOnlyList<PeriodGrid> sameYear)
    {
        var findings = new List<(CoherenceCheck Check, CellDefinition Cell, long Value, long Expected, int Count, string Periods)>();
        if (schema.YearlyBilan is not { } bilan || year.Kind != PeriodKind.Year)
        {
            return [];
        }

        var inYear = sameYear.Where(g => g.Period.Kind != PeriodKind.Year && year.Contains(g.Period)).ToList();
        if (inYear.Count == 0)
        {
            return [];
        }

        var tiling = Tile(year, inYear);
        var complete = tiling.Sum(g => g.Period.MonthCount) == year.MonthCount;
        var last = tiling.Count > 0 && tiling[^1].Period.LastMonthOrdinal == year.LastMonthOrdinal ? tiling[^1] : null;
        var checks = bilan.Coherence.ToDictionary(c => c.Kind);
        var tiled = Describe(tiling);

        foreach (var cell in schema.Layout.Cells)
        {
            var value = cells[cell.Index];
            var sum = tiling.Sum(g => ValueOf(g, cell.Key));
            switch (cell.Aggregation)
            {
                case Aggregation.Sum when complete && value != sum:
                    Add(CoherenceKind.FlowEqualsSum, cell, value, sum, tiling.Count, tiled);
                    break;
                case Aggregation.Sum when !complete && value < sum:
                    Add(CoherenceKind.FlowAtLeastSum, cell, value, sum, tiling.Count, tiled);
                    break;
                case Aggregation.Last when last is not null && value != ValueOf(last, cell.Key):
                    Add(CoherenceKind.StockEqualsLast, cell, value, ValueOf(last, cell.Key), 1, last.Period.Label);
                    break;
                case Aggregation.None:
                    var largest = inYear.MaxBy(g => ValueOf(g, cell.Key))!;
                    if (value < ValueOf(largest, cell.Key))
                    {
                        Add(CoherenceKind.DistinctAtLeastMax, cell, value, ValueOf(largest, cell.Key), 1, largest.Period.Label);
                    }
                    else if (complete && value > sum)
                    {
                        Add(CoherenceKind.DistinctAtMostSum, cell, value, sum, tiling.Count, tiled);
                    }

                    break;
            }
        }

        // One warning per indicator when its total is already off; its breakdown cells would only repeat it.
        var offTotals = findings.Where(f => f.Cell.IsTotal).Select(f => f.Cell.Indicator).ToHashSet();
        return [.. findings.Where(f => f.Cell.IsTotal || !offTotals.Contains(f.Cell.Indicator))
            .Select(f => new CoherenceFinding(f.Check, f.Cell.Key, f.Value, f.Expected, f.Count, f.Periods))];

        void Add(CoherenceKind kind, CellDefinition cell, long value, long expected, int count, string periods)
        {
            if (checks.TryGetValue(kind, out var check))
            {
                findings.Add((check, cell, value, expected, count, periods));
            }
        }
    }

    /// <summary>The grids that cover the year without overlap: a quarter's grid, else its months.</summary>
    private static List<PeriodGrid> Tile(Period year, IReadOnlyList<PeriodGrid> inYear)
    {
        var byPeriod = inYear.GroupBy(g => g.Period).ToDictionary(g => g.Key, g => g.First());
        var tiling = new List<PeriodGrid>();
        foreach (var quarter in year.Split(PeriodKind.Quarter))
        {
            if (byPeriod.TryGetValue(quarter, out var grid))
            {
                tiling.Add(grid);
                continue;
            }

            tiling.AddRange(quarter.Split(PeriodKind.Month).Where(byPeriod.ContainsKey).Select(m => byPeriod[m]));
        }

        return tiling;
    }

    private static long ValueOf(PeriodGrid grid, string key) => grid.Values.TryGetValue(key, out var value) ? value : 0;

    private static string Describe(IReadOnlyList<PeriodGrid> grids) =>
        grids.Count <= 4
            ? string.Join(", ", grids.Select(g => g.Period.Label))
            : $"{grids[0].Period.Label} à {grids[^1].Period.Label}";
}
