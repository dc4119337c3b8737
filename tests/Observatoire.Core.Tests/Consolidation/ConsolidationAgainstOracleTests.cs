using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;
using Observatoire.Core.Registry;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Tests.Consolidation;

/// <summary>
/// Production consolidation against the independent oracle, on seeded random worlds: every
/// department, every region, the nation and every post, for every month, quarter and year of two years.
/// </summary>
public class ConsolidationAgainstOracleTests
{
    public static TheoryData<int> Seeds => [1, 7, 42, 2024, 31337];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_random_world_exercises_every_case_the_rules_describe(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var oracle = ConsolidationOracle.For(world);
        var grids = world.Grids.ToDictionary(g => (g.PostId, g.Period));

        Assert.InRange(world.Posts.Count, 30, 60);
        Assert.All(Enum.GetValues<ReportingFrequency>(), f => Assert.Contains(world.Posts, p => p.Frequency == f));
        Assert.Contains(world.Posts, p => p.ActiveFrom > new DateOnly(2024, 1, 1));
        Assert.Contains(world.Posts, p => p.ActiveTo is { } to && to < new DateOnly(2025, 12, 31));
        Assert.Contains(world.Posts, p => p.Locations.Count == 2);
        Assert.Contains(world.Posts, p => RandomWorld.AllPeriods.Select(x => ConsolidationOracle.DepartmentOf(p, x)).Distinct().Count() > 1);
        Assert.Contains(world.Departments, d => world.Posts.All(p => p.DepartmentCode != d.Code && p.Locations.All(l => l.DepartmentCode != d.Code)));

        // Mixed frequencies for the same time: a quarter grid together with (some of) its months.
        Assert.Contains(world.Grids, g => g.Period.Kind == PeriodKind.Quarter && RandomWorld.MonthsOf(g.Period).Any(m => grids.ContainsKey((g.PostId, m))));
        Assert.Contains(world.Grids, g => g.Period.Kind == PeriodKind.Quarter && world.Posts.First(p => p.Id == g.PostId).Frequency == ReportingFrequency.Month);

        // Revisions, replays, late and missing grids.
        Assert.Contains(world.Grids, g => g.Revision == 2);
        Assert.True(world.Applied.Count > world.Grids.Count + 5);
        Assert.Contains(world.Grids, g => DateOnly.FromDateTime(g.FirstReceivedUtc) > g.Period.End.AddDays(15));
        Assert.Contains(world.Grids, g => DateOnly.FromDateTime(g.FirstReceivedUtc) == g.Period.End.AddDays(15));
        var missing = RandomWorld.AllPeriods.Sum(x => world.Posts.Sum(p => oracle.Resolve(p, x).Missing.Count));
        var incompatible = RandomWorld.AllPeriods.Sum(x => world.Posts.Count(p => oracle.Resolve(p, x).Incompatible));
        Assert.True(missing > 20, $"{missing} missing grids");
        Assert.True(incompatible > 20, $"{incompatible} incompatible post-periods");

        // Every generated grid satisfies every rule of the schema.
        Assert.All(world.Grids, g => Assert.All(RandomWorld.Schema.Rules, r => Assert.True(r.Expression.Evaluate(g.Cells.Select(c => (long)c).ToArray()).Ok, r.Code)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_cube_holds_the_last_revision_of_each_grid_with_its_first_reception_time(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var d = new Discrepancies($"seed {seed}");

        d.Check(world.Grids.Count == world.Cube.Count, "cube", "Count", world.Grids.Count, world.Cube.Count);
        foreach (var grid in world.Grids)
        {
            var held = world.Cube.Find(grid.PostId, grid.Period);
            var where = $"[{grid.PostId} {grid.Period}]";
            if (held is null)
            {
                d.Add($"{where} not in the cube");
                continue;
            }

            d.Check(held.Revision == grid.Revision, where, "Revision", grid.Revision, held.Revision);
            d.Check(held.Cells.SequenceEqual(grid.Cells), where, "Cells", "the test's copy", "other values");
            d.Check(held.FirstReceivedUtc == grid.FirstReceivedUtc, where, "FirstReceivedUtc", grid.FirstReceivedUtc, held.FirstReceivedUtc);
            d.Check(held.ReceivedUtc == grid.ReceivedUtc, where, "ReceivedUtc", grid.ReceivedUtc, held.ReceivedUtc);
        }

        d.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_department_region_and_the_nation_match_the_independent_computation_for_every_month_quarter_and_year(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var oracle = ConsolidationOracle.For(world);
        var consolidator = world.NewConsolidator();
        var d = new Discrepancies($"seed {seed}");

        foreach (var period in RandomWorld.AllPeriods)
        {
            foreach (var area in Areas(world))
            {
                FigureComparison.Compare(oracle.ForArea(area, period), consolidator.ForArea(area, period), area, period, d);
            }
        }

        d.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_post_matches_the_independent_computation_for_every_month_quarter_and_year(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var oracle = ConsolidationOracle.For(world);
        var consolidator = world.NewConsolidator();
        var d = new Discrepancies($"seed {seed}");

        foreach (var period in RandomWorld.AllPeriods)
        {
            foreach (var post in world.Posts)
            {
                var area = new AreaRef(AreaLevel.Post, post.Id);
                FigureComparison.Compare(oracle.ForArea(area, period), consolidator.ForArea(area, period), area, period, d);
            }
        }

        d.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_areas_posts_add_up_to_their_department_departments_to_their_region_and_regions_to_the_nation(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var consolidator = world.NewConsolidator();
        var oracle = ConsolidationOracle.For(world);
        var d = new Discrepancies($"seed {seed}");
        var layout = RandomWorld.Schema.Layout;

        foreach (var period in RandomWorld.AllPeriods)
        {
            var nation = consolidator.ForArea(AreaRef.National, period);
            var regions = world.Regions.Select(r => consolidator.ForArea(new AreaRef(AreaLevel.Region, r.Code), period)).ToList();
            CheckSum(nation, regions, $"[national {period}] = sum of regions");
            foreach (var region in world.Regions)
            {
                var departments = world.Departments.Where(x => x.RegionCode == region.Code)
                    .Select(x => consolidator.ForArea(new AreaRef(AreaLevel.Department, x.Code), period)).ToList();
                CheckSum(regions.Single(r => r.Area.Code == region.Code), departments, $"[Region:{region.Code} {period}] = sum of departments");
            }

            foreach (var department in world.Departments)
            {
                var area = new AreaRef(AreaLevel.Department, department.Code);
                var posts = world.Posts.Where(p => ConsolidationOracle.IsActive(p, period) && oracle.InArea(area, p, period))
                    .Select(p => consolidator.ForArea(new AreaRef(AreaLevel.Post, p.Id), period)).ToList();
                CheckSum(consolidator.ForArea(area, period), posts, $"[{area} {period}] = sum of its posts");
            }
        }

        d.AssertNone();

        void CheckSum(AreaFigures whole, List<AreaFigures> parts, string where)
        {
            d.Check(whole.ExpectedPosts == parts.Sum(p => p.ExpectedPosts), where, "ExpectedPosts", parts.Sum(p => p.ExpectedPosts), whole.ExpectedPosts);
            d.Check(whole.DuePosts == parts.Sum(p => p.DuePosts), where, "DuePosts", parts.Sum(p => p.DuePosts), whole.DuePosts);
            d.Check(whole.GridsUsed == parts.Sum(p => p.GridsUsed), where, "GridsUsed", parts.Sum(p => p.GridsUsed), whole.GridsUsed);
            d.Check(whole.Missing.Count == parts.Sum(p => p.Missing.Count), where, "Missing.Count", parts.Sum(p => p.Missing.Count), whole.Missing.Count);
            for (var c = 0; c < layout.Count; c++)
            {
                if (whole.HasData && whole.Derivable[c])
                {
                    var sum = parts.Where(p => p.HasData).Sum(p => p.Values[c]);
                    d.Check(whole.Values[c] == sum, where, layout.Cells[c].Key, sum, whole.Values[c]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_hierarchy_in_one_pass_equals_each_area_queried_alone(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var consolidator = world.NewConsolidator();
        var oracle = ConsolidationOracle.For(world);
        var d = new Discrepancies($"seed {seed}");
        var expectedKeys = Areas(world).Select(a => a.ToString()).Order(StringComparer.Ordinal).ToList();

        foreach (var period in RandomWorld.AllPeriods)
        {
            var hierarchy = consolidator.ForHierarchy(period);
            var keys = hierarchy.Keys.Select(a => a.ToString()).Order(StringComparer.Ordinal).ToList();
            d.Check(keys.SequenceEqual(expectedKeys), $"[hierarchy {period}]", "areas", string.Join(" ", expectedKeys), string.Join(" ", keys));
            foreach (var (area, figures) in hierarchy)
            {
                FigureComparison.CompareProduction(consolidator.ForArea(area, period), figures, $"[{area} {period}] hierarchy vs alone", d);
                FigureComparison.Compare(oracle.ForArea(area, period), figures, area, period, d);
            }
        }

        d.AssertNone();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Consolidated_breakdowns_still_satisfy_the_schema_rules_wherever_every_cell_they_read_is_derivable(int seed)
    {
        var world = RandomWorld.Generate(seed);
        var consolidator = world.NewConsolidator();
        var d = new Discrepancies($"seed {seed}");
        var rng = new Random(seed);
        var checkedRules = new Dictionary<(PeriodKind, string), int>();
        var areas = Areas(world).Concat(world.Posts.Select(p => new AreaRef(AreaLevel.Post, p.Id))).ToList();

        foreach (var period in RandomWorld.AllPeriods)
        {
            // Every area for years and quarters; a random half of them for months.
            foreach (var area in areas.Where(_ => period.Kind != PeriodKind.Month || rng.Next(0, 2) == 0))
            {
                var figures = consolidator.ForArea(area, period);
                if (!figures.HasData)
                {
                    continue;
                }

                foreach (var rule in RandomWorld.Schema.Rules)
                {
                    if (!rule.Expression.ReferencedCells.All(c => figures.ValueOf(c) is not null))
                    {
                        continue;
                    }

                    // While yearly bilans are missing, distinct persons cover fewer posts than flows: only rules
                    // within one kind of cell still hold.
                    var kinds = rule.Expression.ReferencedCells.Select(c => RandomWorld.Schema.Layout.Cells[c].Aggregation == Aggregation.None).Distinct().Count();
                    if (figures.MissingBilans.Count > 0 && kinds > 1)
                    {
                        continue;
                    }

                    checkedRules[(period.Kind, rule.Code)] = checkedRules.GetValueOrDefault((period.Kind, rule.Code)) + 1;
                    var outcome = rule.Expression.Evaluate(figures.Values);
                    d.Check(outcome.Ok, FigureComparison.Where(area, period), rule.Code, "holds", $"{outcome.Left} vs {outcome.Right}");
                }
            }
        }

        d.AssertNone();

        // The property was really exercised: breakdowns of flows over every kind of period, distinct persons across posts.
        foreach (var kind in Enum.GetValues<PeriodKind>())
        {
            Assert.True(checkedRules.GetValueOrDefault((kind, "D_ORIGINE_SOMME")) > 0, $"D_ORIGINE_SOMME never checked for {kind}");
            Assert.True(checkedRules.GetValueOrDefault((kind, "E_MODALITES_SOMME")) > 0, $"E_MODALITES_SOMME never checked for {kind}");
            Assert.True(checkedRules.GetValueOrDefault((kind, "B_SEXE_AGE_SOMME")) > 0, $"B_SEXE_AGE_SOMME never checked for {kind}");
        }
    }

    /// <summary>The nation, every region (one without department included) and every department.</summary>
    internal static IEnumerable<AreaRef> Areas(RandomWorld world)
    {
        yield return AreaRef.National;
        foreach (var region in world.Regions)
        {
            yield return new AreaRef(AreaLevel.Region, region.Code);
        }

        foreach (var department in world.Departments)
        {
            yield return new AreaRef(AreaLevel.Department, department.Code);
        }
    }
}
