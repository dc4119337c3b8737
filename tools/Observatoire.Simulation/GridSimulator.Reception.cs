using Observatoire.Protos.V1;

namespace Observatoire.Simulation;

/// <summary>
/// When the grids are received (missing, late, on time, or not yet), and the few planted outliers.
/// </summary>
public sealed partial class GridSimulator
{
    private (GridFate Fate, DateTimeOffset? ReceivedAt) Reception(Post post, SimulationPeriod period)
    {
        var seed = _options.Seed;
        var name = period.ToString();
        if (SimulationRandom.UniformOf(seed, "manquante", post.Id, name) < _options.Missing)
        {
            return (GridFate.Missing, null);
        }

        // Late among the grids received, so that the late share is one of all expected grids.
        var lateAmongReceived = _options.Missing >= 1 ? 0 : _options.Late / (1 - _options.Missing);
        var late = SimulationRandom.UniformOf(seed, "retard", post.Id, name) < lateAmongReceived;
        var random = SimulationRandom.For(seed, "reception", post.Id, name);
        var delay = late
            ? random.NextInt(_options.DeadlineDays + 1, Math.Max(_options.DeadlineDays + 1, _options.LatestDelayDays))
            : random.NextInt(1, Math.Max(1, _options.DeadlineDays - 1));

        // Office hours, in UTC (07:30 to 18:30 in Paris in winter).
        var minutes = random.NextInt(6 * 60 + 30, 17 * 60 + 30);
        var day = period.End.AddDays(delay);
        var receivedAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(minutes);
        var latest = _options.Now.AddMinutes(-2);
        if (receivedAt <= latest)
        {
            return (late ? GridFate.Late : GridFate.OnTime, receivedAt);
        }

        if (late)
        {
            // Will be received later than now: not there yet.
            return (GridFate.Pending, null);
        }

        // On time but later than now: received just now, still after the period's end and within the deadline.
        return DateOnly.FromDateTime(latest.UtcDateTime) > period.End
            ? (GridFate.OnTime, latest)
            : (GridFate.Pending, null);
    }

    private void PlantOutliers(List<SimulatedGrid> grids)
    {
        if (_options.Outliers <= 0 || OutlierIndicators.Count == 0)
        {
            return;
        }

        var seed = _options.Seed;

        // Monthly grids from July have enough history for the post's own median to show them; then the others.
        // Never a yearly bilan: an outlier is a mistake in one month, which the bilan's coherence then shows.
        var candidates = grids
            .Select((grid, index) => (grid, index))
            .Where(c => c.grid.IsSent && !c.grid.IsYearlyBilan)
            .OrderBy(c => c.grid.Period.Kind == ReportingFrequency.Month && c.grid.Period.Index >= 7 ? 0 : 1)
            .ThenBy(c => SimulationRandom.UniformOf(seed, "atypique", c.grid.Grid.PostId, c.grid.Grid.Period))
            .ToList();
        var planted = 0;
        foreach (var (candidate, index) in candidates)
        {
            if (planted >= _options.Outliers)
            {
                break;
            }

            var pick = (int)(SimulationRandom.UniformOf(seed, "atypique-indicateur", candidate.Grid.PostId, candidate.Grid.Period) * OutlierIndicators.Count);
            var indicator = OutlierIndicators[Math.Clamp(pick, 0, OutlierIndicators.Count - 1)];
            if (candidate.Grid.Values[indicator] < 3)
            {
                indicator = OutlierIndicators.MaxBy(i => candidate.Grid.Values[i])!;
                if (candidate.Grid.Values[indicator] < 3)
                {
                    continue;
                }
            }

            var grid = candidate.Grid.Clone();
            foreach (var key in grid.Values.Keys.Where(k => k == indicator || k.StartsWith(indicator + "[", StringComparison.Ordinal)).ToList())
            {
                grid.Values[key] *= OutlierFactor;
            }

            grids[index] = candidate with { Grid = grid, OutlierIndicator = indicator };
            planted++;
        }
    }
}
