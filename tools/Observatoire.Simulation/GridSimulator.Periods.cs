using Observatoire.Protos.V1;

namespace Observatoire.Simulation;

/// <summary>
/// The cells of a period from its months: flows add up, stocks take the last month, and distinct persons over
/// several months lie between the largest month and the sum of the months.
/// </summary>
public sealed partial class GridSimulator
{
    /// <summary>
    /// The cells of a period from the months it covers; a quarterly post's year from its quarters, as it would add up
    /// its own grids for its bilan.
    /// </summary>
    private Dictionary<string, long> Values(Post post, SimulationPeriod period, Dictionary<string, long>[] months)
    {
        if (period.Kind == ReportingFrequency.Month)
        {
            return months[period.Index];
        }

        var parts = period.Kind == ReportingFrequency.Year && post.Frequency == ReportingFrequency.Quarter
            ? SimulationPeriod.Of(ReportingFrequency.Quarter, period.Year).Select(q => Values(post, q, months)).ToList()
            : period.Months.Select(m => months[m]).ToList();
        return Combine(SimulationRandom.For(_options.Seed, "grille", post.Id, period.ToString()), parts);
    }

    private Dictionary<string, long> Combine(SimulationRandom random, List<Dictionary<string, long>> inPeriod)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var cell in _schema.Cells.Where(c => c.Aggregation != Aggregation.None))
        {
            values[cell.Key] = cell.Aggregation == Aggregation.Last ? inPeriod[^1][cell.Key] : inPeriod.Sum(m => m[cell.Key]);
        }

        foreach (var indicator in _schema.Cells.Where(c => c.Aggregation == Aggregation.None).GroupBy(c => c.Indicator.Code))
        {
            DistinctOverPeriod(random, [.. indicator], inPeriod, values);
        }

        return values;
    }

    /// <summary>
    /// Distinct persons over several months: at least the largest month (and what the declared comparisons ask), at
    /// most the sum of the months, cell by cell, with the breakdowns that add up to the total still adding up.
    /// </summary>
    private void DistinctOverPeriod(SimulationRandom random, List<SimulationCell> cells, List<Dictionary<string, long>> months, Dictionary<string, long> values)
    {
        long Low(string key) => months.Max(m => m[key]);
        long High(string key) => months.Sum(m => m[key]);

        var total = cells.FirstOrDefault(c => c.IsTotal);
        var breakdowns = cells.Where(c => !c.IsTotal).GroupBy(c => c.Breakdown!.Code).Select(g => g.ToList()).ToList();
        if (total is null)
        {
            foreach (var cell in cells)
            {
                values[cell.Key] = Low(cell.Key) + random.Binomial(High(cell.Key) - Low(cell.Key), 0.4);
            }

            return;
        }

        var low = Low(total.Key);
        var high = High(total.Key);
        foreach (var ordering in _schema.Orderings.Where(o => o.Larger == total.Key && values.ContainsKey(o.Smaller)))
        {
            low = Math.Max(low, values[ordering.Smaller]);
        }

        foreach (var breakdown in breakdowns.Where(b => b[0].Breakdown!.SumsToTotal))
        {
            low = Math.Max(low, breakdown.Sum(c => Low(c.Key)));
        }

        // Persons come back from one month to the next: the period counts each once.
        var target = Math.Clamp(Low(total.Key) + random.Binomial(high - Low(total.Key), 0.4), Math.Min(low, high), high);
        values[total.Key] = target;
        foreach (var breakdown in breakdowns)
        {
            if (breakdown[0].Breakdown!.SumsToTotal)
            {
                Apportion(breakdown, target, Low, High, values);
            }
            else
            {
                foreach (var cell in breakdown)
                {
                    values[cell.Key] = Math.Min(target, Low(cell.Key) + random.Binomial(High(cell.Key) - Low(cell.Key), 0.4));
                }
            }
        }
    }

    /// <summary>Splits a total over cells, each between its low and high, in proportion to its room (largest remainders).</summary>
    private static void Apportion(List<SimulationCell> cells, long total, Func<string, long> low, Func<string, long> high, Dictionary<string, long> values)
    {
        var lows = cells.Select(c => low(c.Key)).ToArray();
        var rooms = cells.Select((c, i) => high(c.Key) - lows[i]).ToArray();
        var extra = total - lows.Sum();
        var room = rooms.Sum();
        var shares = rooms.Select(r => room == 0 ? 0.0 : (double)extra * r / room).ToArray();
        var given = shares.Select((s, i) => Math.Min(rooms[i], (long)Math.Floor(s))).ToArray();
        var left = extra - given.Sum();
        foreach (var i in Enumerable.Range(0, cells.Count).OrderByDescending(i => shares[i] - given[i]).ThenBy(i => i))
        {
            if (left <= 0)
            {
                break;
            }

            if (given[i] < rooms[i])
            {
                given[i]++;
                left--;
            }
        }

        for (var i = 0; i < cells.Count; i++)
        {
            values[cells[i].Key] = lows[i] + given[i];
        }
    }
}
