using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Statistics;

/// <summary>A suspicious value of a post's grid and what it was compared with.</summary>
/// <param name="Reference">"historique" (the post's own grids) or "departement" (the other posts of its department, same period).</param>
public sealed record OutlierFinding(PostInfo Post, string DepartmentCode, CubeGrid Grid, CellDefinition Cell, ModifiedZScore Score, string Reference);

/// <summary>
/// Finds suspicious grids with the modified z-score: each grid against the post's previous grids of the
/// same frequency and schema (at least 6 before it, the last 12 used), and against the other posts of its
/// department for the same period (at least 5 posts).
/// </summary>
public static class OutlierDetector
{
    public const string History = "historique";
    public const string Department = "departement";

    private const int MinimumHistory = 6;
    private const int HistoryLength = 12;
    private const int MinimumPeers = 5;

    /// <summary>
    /// The outliers among the grids of the posts in <paramref name="area"/> (a post, or every post located in a
    /// department, region or the nation), of <paramref name="period"/> when given, for the cells
    /// <paramref name="cells"/> picks in each schema; strongest first.
    /// </summary>
    public static IReadOnlyList<OutlierFinding> Find(
        Consolidator consolidator,
        AreaRef area,
        Period? period,
        Func<GridSchema, IEnumerable<CellDefinition>> cells,
        double threshold = RobustScore.DefaultThreshold,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(consolidator);
        ArgumentNullException.ThrowIfNull(cells);
        var registry = consolidator.Registry;
        var cube = consolidator.Cube;
        var found = new List<OutlierFinding>();
        var peers = new Dictionary<(string Department, Period Period, string Schema), List<(PostInfo Post, CubeGrid Grid)>>();
        var posts = registry.Posts.Values
            .Where(p => area.Level != AreaLevel.Post || p.Id == area.Code)
            .OrderBy(p => p.Id, StringComparer.Ordinal);

        foreach (var post in posts)
        {
            ct.ThrowIfCancellationRequested();
            var grids = cube.GridsOf(post.Id).Where(g => g.Period.Kind == post.ReportingKind).ToList();
            for (var i = 0; i < grids.Count; i++)
            {
                var grid = grids[i];
                var location = registry.LocationOf(post, grid.Period);
                if (area.Level != AreaLevel.Post && !registry.Contains(area, location))
                {
                    continue;
                }

                var inPeriod = period is null || period.Value.Contains(grid.Period);
                if (!inPeriod)
                {
                    continue;
                }

                var key = (location, grid.Period, grid.SchemaVersion);
                if (!peers.TryGetValue(key, out var list))
                {
                    peers[key] = list = [];
                }

                list.Add((post, grid));
                if (i < MinimumHistory)
                {
                    continue;
                }

                var schema = consolidator.SchemaFor(grid.Period);
                var history = grids.Skip(Math.Max(0, i - HistoryLength)).Take(Math.Min(HistoryLength, i)).Where(g => g.SchemaVersion == grid.SchemaVersion).ToList();
                foreach (var cell in cells(schema))
                {
                    var value = grid.Cells[cell.Index];
                    if (RobustScore.Score(value, [.. history.Select(h => (double)h.Cells[cell.Index])]) is { } score
                        && double.IsFinite(score.Z)
                        && Math.Abs(score.Z) > threshold)
                    {
                        found.Add(new OutlierFinding(post, location, grid, cell, score, History));
                    }
                }
            }
        }

        foreach (var ((department, _, _), members) in peers.Where(p => p.Value.Count >= MinimumPeers))
        {
            ct.ThrowIfCancellationRequested();
            var schema = consolidator.SchemaFor(members[0].Grid.Period);
            foreach (var cell in cells(schema))
            {
                var values = members.Select(m => (double)m.Grid.Cells[cell.Index]).ToList();
                foreach (var (index, score) in RobustScore.Outliers(values, threshold).Where(o => double.IsFinite(o.Score.Z)))
                {
                    found.Add(new OutlierFinding(members[index].Post, department, members[index].Grid, cell, score, Department));
                }
            }
        }

        return [.. found.OrderByDescending(o => Math.Abs(o.Score.Z)).ThenBy(o => o.Post.Id, StringComparer.Ordinal)];
    }
}
