using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Tests.Consolidation;

/// <summary>Production completeness against the independent oracle, on seeded random worlds.</summary>
public class CompletenessAgainstOracleTests
{
    public static TheoryData<int> Seeds => ConsolidationAgainstOracleTests.Seeds;

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Completeness_counts_and_each_posts_expected_late_and_missing_periods_match_the_independent_computation(int seed) =>
        Run(seed, (oracle, world, area, period, today, deadline, report, where, d) =>
        {
            var expected = oracle.Completeness(area, period, today, deadline);
            d.Check(expected.Matches(report.Counts), where, "Counts", expected, Show(report.Counts));
            d.Check(report.Area == area && report.Period == period && report.DeadlineDays == deadline, where, "header", $"{area} {period} {deadline}", $"{report.Area} {report.Period} {report.DeadlineDays}");
            ComparePosts(oracle, area, period, today, deadline, report, where, d);
        });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Completeness_children_are_every_region_of_the_nation_every_department_of_a_region_and_the_posts_of_a_department_each_with_its_own_counts(int seed) =>
        Run(seed, CompareChildren);

    private delegate void ReportCheck(ConsolidationOracle oracle, RandomWorld world, AreaRef area, Period period, DateOnly today, int deadline, CompletenessReport report, string where, Discrepancies d);

    private static void Run(int seed, ReportCheck compare)
    {
        var world = RandomWorld.Generate(seed);
        var oracle = ConsolidationOracle.For(world);
        var d = new Discrepancies($"seed {seed}");

        // A random day inside the two years, the day the data ends, and a day after everything, with two deadlines.
        var cases = new (DateOnly Today, int Deadline)[] { (world.Today, 15), (new DateOnly(2025, 12, 31), 15), (new DateOnly(2026, 3, 1), 30) };
        foreach (var (today, deadline) in cases)
        {
            var calculator = new CompletenessCalculator(world.Registry, world.Cube, deadline);
            foreach (var period in RandomWorld.AllPeriods)
            {
                foreach (var area in ConsolidationAgainstOracleTests.Areas(world))
                {
                    var where = $"[{area} {period} today={today:yyyy-MM-dd} deadline={deadline}]";
                    CompletenessReport report;
                    try
                    {
                        report = calculator.For(area, period, today);
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        d.Add($"{where} threw {e.GetType().Name}: {e.Message}");
                        continue;
                    }

                    compare(oracle, world, area, period, today, deadline, report, where, d);
                }
            }
        }

        d.AssertNone();
    }

    /// <summary>Each child row must show the child's own completeness (its report's counts), so the rows add up to the parent.</summary>
    private static void CompareChildren(ConsolidationOracle oracle, RandomWorld world, AreaRef area, Period period, DateOnly today, int deadline, CompletenessReport report, string where, Discrepancies d)
    {
        // Children: every region of the nation, every department of a region (zeros included); the posts of a department.
        var children = report.Children.ToList();
        var childCodes = children.Select(c => c.Child.ToString()).ToList();
        d.Check(childCodes.Distinct().Count() == childCodes.Count, where, "children listed once", "no duplicate", string.Join(" ", childCodes));
        var childSum = children.Aggregate(ExpectedCounts.Zero, (s, c) => s.Plus(new ExpectedCounts(c.Counts.Expected, c.Counts.Received, c.Counts.OnTime, c.Counts.Late, c.Counts.Missing)));
        d.Check(childSum.Matches(report.Counts), where, "sum of children", Show(report.Counts), childSum);
        if (area.Level is AreaLevel.National or AreaLevel.Region)
        {
            var expectedChildren = area.Level == AreaLevel.National
                ? world.Regions.Select(r => new AreaRef(AreaLevel.Region, r.Code)).ToList()
                : world.Departments.Where(x => x.RegionCode == area.Code).Select(x => new AreaRef(AreaLevel.Department, x.Code)).ToList();
            var expectedCodes = expectedChildren.Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
            var actualCodes = childCodes.Order(StringComparer.Ordinal).ToList();
            d.Check(expectedCodes.SequenceEqual(actualCodes), where, "children", string.Join(" ", expectedCodes), string.Join(" ", actualCodes));
            foreach (var (child, counts) in children)
            {
                var expectedChild = oracle.Completeness(child, period, today, deadline);
                d.Check(expectedChild.Matches(counts), where, $"child {child}", expectedChild, Show(counts));
            }
        }
        else
        {
            var expectedPosts = oracle.CompletenessByPost(area, period, today, deadline);
            foreach (var post in expectedPosts)
            {
                var row = children.Where(c => c.Child == new AreaRef(AreaLevel.Post, post.PostId)).ToList();
                d.Check(row.Count == 1 && post.Counts.Matches(row[0].Counts), where, $"child Post:{post.PostId}", post.Counts, row.Count == 1 ? Show(row[0].Counts) : $"{row.Count} rows");
            }

            foreach (var (child, counts) in children)
            {
                d.Check(child.Level == AreaLevel.Post, where, "child level", AreaLevel.Post, child.Level);
                if (expectedPosts.All(p => p.PostId != child.Code))
                {
                    d.Check(counts.Expected == 0, where, $"child {child}", "nothing expected", Show(counts));
                }
            }
        }
    }

    private static void ComparePosts(ConsolidationOracle oracle, AreaRef area, Period period, DateOnly today, int deadline, CompletenessReport report, string where, Discrepancies d)
    {
        // Posts: each post with an expected grid, with its missing and late periods (rows of one post are merged).
        var oraclePosts = oracle.CompletenessByPost(area, period, today, deadline);
        var byPost = report.Posts.GroupBy(p => p.Post.Id).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var post in oraclePosts)
        {
            if (!byPost.TryGetValue(post.PostId, out var rows))
            {
                d.Add($"{where} post {post.PostId} with {post.Counts} is not listed");
                continue;
            }

            var counts = rows.Aggregate(ExpectedCounts.Zero, (s, r) => s.Plus(new ExpectedCounts(r.Counts.Expected, r.Counts.Received, r.Counts.OnTime, r.Counts.Late, r.Counts.Missing)));
            d.Check(post.Counts == counts, where, $"post {post.PostId} counts", post.Counts, counts);
            var missing = string.Join(" ", rows.SelectMany(r => r.MissingPeriods).Order());
            var late = string.Join(" ", rows.SelectMany(r => r.LatePeriods).Order());
            d.Check(string.Join(" ", post.MissingPeriods.Order()) == missing, where, $"post {post.PostId} missing periods", string.Join(" ", post.MissingPeriods.Order()), missing);
            d.Check(string.Join(" ", post.LatePeriods.Order()) == late, where, $"post {post.PostId} late periods", string.Join(" ", post.LatePeriods.Order()), late);
            foreach (var row in rows)
            {
                var departments = row.Post.Locations.Select(l => l.DepartmentCode).Append(row.Post.DepartmentCode);
                d.Check(departments.Contains(row.DepartmentCode), where, $"post {post.PostId} department", string.Join("|", departments), row.DepartmentCode);
            }
        }

        foreach (var (postId, rows) in byPost)
        {
            if (oraclePosts.All(p => p.PostId != postId))
            {
                d.Check(rows.All(r => r.Counts.Expected == 0), where, $"post {postId}", "nothing expected", string.Join("; ", rows.Select(r => Show(r.Counts))));
            }
        }
    }

    private static string Show(CompletenessCounts c) => $"expected {c.Expected}, received {c.Received}, on time {c.OnTime}, late {c.Late}, missing {c.Missing}";
}
