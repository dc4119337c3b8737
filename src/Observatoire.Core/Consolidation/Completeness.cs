using Observatoire.Core.Periods;

namespace Observatoire.Core.Consolidation;

/// <summary>Expected, received, on-time, late and missing grids.</summary>
public sealed record CompletenessCounts(int Expected, int Received, int OnTime, int Late, int Missing)
{
    public static CompletenessCounts Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Received over expected (1 when nothing is expected).</summary>
    public double Completeness => Expected == 0 ? 1 : (double)Received / Expected;

    /// <summary>On time over expected (1 when nothing is expected).</summary>
    public double Timeliness => Expected == 0 ? 1 : (double)OnTime / Expected;

    public static CompletenessCounts operator +(CompletenessCounts a, CompletenessCounts b) =>
        new(a.Expected + b.Expected, a.Received + b.Received, a.OnTime + b.OnTime, a.Late + b.Late, a.Missing + b.Missing);
}

/// <summary>One post's expected grids in a period.</summary>
public sealed record PostCompleteness(
    PostInfo Post,
    string DepartmentCode,
    CompletenessCounts Counts,
    IReadOnlyList<Period> MissingPeriods,
    IReadOnlyList<Period> LatePeriods)
{
    /// <summary>Every expected sub-period, in order (received on time, late or missing).</summary>
    public IReadOnlyList<Period> ExpectedPeriods { get; init; } = [];
}

/// <summary>Completeness of an area for a period, with its children and its posts.</summary>
public sealed record CompletenessReport(
    AreaRef Area,
    Period Period,
    CompletenessCounts Counts,
    IReadOnlyList<(AreaRef Child, CompletenessCounts Counts)> Children,
    IReadOnlyList<PostCompleteness> Posts,
    int DeadlineDays);

/// <summary>
/// Expected grids are the active posts × the periods of their reporting frequency that lie within
/// the requested period and have ended. A grid is on time when its first revision arrived no later
/// than the deadline day (period end + deadline days); corrections do not make it late.
/// </summary>
public sealed class CompletenessCalculator(RegistrySnapshot registry, GridCube cube, int deadlineDays = 15)
{
    public int DeadlineDays => deadlineDays;

    /// <summary>The last day on which a grid for the period is on time.</summary>
    public DateOnly DeadlineOf(Period period) => period.End.AddDays(deadlineDays);

    public CompletenessReport For(AreaRef area, Period period, DateOnly today, CancellationToken ct = default)
    {
        var posts = new List<PostCompleteness>();

        // Each expected grid counts in the child area where the post was for that sub-period (a post may move).
        var byChild = new Dictionary<string, CompletenessCounts>(StringComparer.Ordinal);
        var candidates = area.Level == AreaLevel.Post ? [registry.Posts[area.Code]] : registry.Posts.Values;
        foreach (var post in candidates.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            if (!post.ActiveDuring(period) || post.ReportingKind > period.Kind)
            {
                continue;
            }

            var missing = new List<Period>();
            var late = new List<Period>();
            var expected = new List<Period>();
            var counts = CompletenessCounts.Zero;
            string? department = null;
            foreach (var sub in period.Split(post.ReportingKind))
            {
                if (!post.ActiveDuring(sub) || sub.End >= today)
                {
                    continue;
                }

                var location = registry.LocationOf(post, sub);
                if (area.Level != AreaLevel.Post && !registry.Contains(area, location))
                {
                    continue;
                }

                department ??= location;
                expected.Add(sub);
                CompletenessCounts one;
                if (cube.Find(post.Id, sub) is { } grid)
                {
                    var onTime = DateOnly.FromDateTime(grid.FirstReceivedUtc) <= DeadlineOf(sub);
                    one = new CompletenessCounts(1, 1, onTime ? 1 : 0, onTime ? 0 : 1, 0);
                    if (!onTime)
                    {
                        late.Add(sub);
                    }
                }
                else
                {
                    one = new CompletenessCounts(1, 0, 0, 0, 1);
                    missing.Add(sub);
                }

                counts += one;
                var child = area.Level switch
                {
                    AreaLevel.National => registry.Departments.TryGetValue(location, out var d) ? d.RegionCode : location,
                    AreaLevel.Region => location,
                    _ => post.Id,
                };
                byChild[child] = byChild.GetValueOrDefault(child, CompletenessCounts.Zero) + one;
            }

            if (counts.Expected > 0)
            {
                posts.Add(new PostCompleteness(post, department!, counts, missing, late) { ExpectedPeriods = expected });
            }
        }

        var total = posts.Aggregate(CompletenessCounts.Zero, (sum, p) => sum + p.Counts);
        var children = area.Level switch
        {
            AreaLevel.National => Group(byChild, AreaLevel.Region, registry.Regions.Keys),
            AreaLevel.Region => Group(byChild, AreaLevel.Department, registry.DepartmentsByRegion.GetValueOrDefault(area.Code, []).Select(d => d.Code)),
            AreaLevel.Department => posts.Select(p => (new AreaRef(AreaLevel.Post, p.Post.Id), p.Counts)).ToList(),
            _ => [],
        };
        return new CompletenessReport(area, period, total, children, posts, deadlineDays);
    }

    private static List<(AreaRef, CompletenessCounts)> Group(
        Dictionary<string, CompletenessCounts> byChild, AreaLevel level, IEnumerable<string> allCodes)
    {
        var sums = allCodes.ToDictionary(c => c, _ => CompletenessCounts.Zero, StringComparer.Ordinal);
        foreach (var (code, counts) in byChild)
        {
            sums[code] = sums.GetValueOrDefault(code, CompletenessCounts.Zero) + counts;
        }

        return [.. sums.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (new AreaRef(level, s.Key), s.Value))];
    }
}
