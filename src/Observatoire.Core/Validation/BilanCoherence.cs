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

        // Each grid's value of every cell read once: in place for a stored grid of this schema, by key otherwise.
        var vectors = new Dictionary<PeriodGrid, long[]>(ReferenceEqualityComparer.Instance);
        foreach (var grid in inYear)
        {
            vectors.TryAdd(grid, Dense(schema, grid));
        }

        var tilingVectors = tiling.Select(g => vectors[g]).ToArray();
        var inYearVectors = inYear.Select(g => vectors[g]).ToArray();
        var lastVector = last is null ? null : vectors[last];

        foreach (var cell in schema.Layout.Cells)
        {
            var at = cell.Index;
            var value = cells[at];
            long sum = 0;
            foreach (var vector in tilingVectors)
            {
                sum += vector[at];
            }

            switch (cell.Aggregation)
            {
                case Aggregation.Sum when complete && value != sum:
                    Add(CoherenceKind.FlowEqualsSum, cell, value, sum, tiling.Count, tiled);
                    break;
                case Aggregation.Sum when !complete && value < sum:
                    Add(CoherenceKind.FlowAtLeastSum, cell, value, sum, tiling.Count, tiled);
                    break;
                case Aggregation.Last when lastVector is not null && value != lastVector[at]:
                    Add(CoherenceKind.StockEqualsLast, cell, value, lastVector[at], 1, last!.Period.Label);
                    break;
                case Aggregation.None:
                    // The first grid of the largest value, as MaxBy finds it.
                    var largest = 0;
                    for (var i = 1; i < inYearVectors.Length; i++)
                    {
                        if (inYearVectors[i][at] > inYearVectors[largest][at])
                        {
                            largest = i;
                        }
                    }

                    if (value < inYearVectors[largest][at])
                    {
                        Add(CoherenceKind.DistinctAtLeastMax, cell, value, inYearVectors[largest][at], 1, inYear[largest].Period.Label);
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

    /// <summary>Every cell's value in the grid (0 where it has none), in layout order.</summary>
    private static long[] Dense(GridSchema schema, PeriodGrid grid)
    {
        var vector = new long[schema.Layout.Count];
        if ((grid.Values as CellValues)?.DenseFor(schema) is { } cells)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = cells[i];
            }

            return vector;
        }

        foreach (var cell in schema.Layout.Cells)
        {
            vector[cell.Index] = grid.Values.TryGetValue(cell.Key, out var value) ? value : 0;
        }

        return vector;
    }

    private static string Describe(IReadOnlyList<PeriodGrid> grids) =>
        grids.Count <= 4
            ? string.Join(", ", grids.Select(g => g.Period.Label))
            : $"{grids[0].Period.Label} à {grids[^1].Period.Label}";
}
