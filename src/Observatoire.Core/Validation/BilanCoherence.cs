using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>A coherence check that failed on one cell of a yearly bilan, with the figures its message names.</summary>
public sealed record CoherenceFinding(CoherenceCheck Check, string CellKey, long Value, long Expected, int Count, string Periods);

/// <summary>
/// Compares a yearly bilan with the post's months or quarters of the same year, cell by cell and by
/// each cell's aggregation: flows add up to the year, a stock at the year's end is the last
/// sub-period's, distinct persons of the year lie between the largest sub-period and their sum.
/// Which checks run, and their messages, come from the schema.
/// </summary>
public static class BilanCoherence
{
    public static IReadOnlyList<CoherenceFinding> Check(GridSchema schema, Period year, IReadOnlyList<long> cells, IReadOnlyList<PeriodGrid> sameYear)
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
