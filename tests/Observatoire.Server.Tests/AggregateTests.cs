using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests;

/// <summary>Consolidated figures through the real server: values, flags, provenance, freshness, disclosure.</summary>
public class AggregateTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());
    private readonly AggregateService.AggregateServiceClient _aggregates = new(server.CreateChannel());

    private static readonly Area Nord = new() { Level = AreaLevel.Department, Code = "59" };

    private static List<string> MonthlyPostsOf(string department) =>
        [.. TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == department).Select(p => p.Id)];

    private async Task SubmitAsync(Grid grid, DateTime? receivedAt = null)
    {
        var request = TestGrids.Submission(grid);
        if (receivedAt is { } at)
        {
            request.ReceivedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        }

        await _grids.SubmitGridAsync(request);
    }

    [Fact]
    public async Task Accepted_grid_is_visible_in_the_very_next_query()
    {
        var post = MonthlyPostsOf("69")[0];
        var request = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "69" }, Period = "2023-05", Cells = { "entretiens" }, Disclosure = Disclosure.Raw };

        var before = await _aggregates.ConsolidateAsync(request);
        await SubmitAsync(TestGrids.Valid(post, "2023-05"));
        var after = await _aggregates.ConsolidateAsync(request);

        Assert.Equal(0, before.Provenance.ContributingPosts);
        Figure Total(ConsolidateResponse r) => r.Figures.Single(f => f.Cell == "entretiens");
        Assert.Equal(Total(before).Value + 70, Total(after).Value);
        Assert.Equal(1, after.Provenance.ContributingPosts);
        Assert.Equal(FigureStatus.Partial, Total(after).Status);
        Assert.Equal(4, after.Figures.Count);
        Assert.Contains(after.Provenance.Missing, m => m.PostId == MonthlyPostsOf("69")[1] && m.Period == "2023-05");
    }

    [Fact]
    public async Task Department_figures_add_up_the_posts_and_a_quarter_derives_from_months()
    {
        var posts = MonthlyPostsOf("59").Take(2).ToList();
        foreach (var post in posts)
        {
            foreach (var month in new[] { "2022-01", "2022-02", "2022-03" })
            {
                await SubmitAsync(TestGrids.Valid(post, month));
            }
        }

        var month1 = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Nord, Period = "2022-01", Disclosure = Disclosure.Raw });
        var quarter = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = Nord, Period = "2022-T1", Disclosure = Disclosure.Raw });

        Figure Get(ConsolidateResponse r, string cell) => r.Figures.Single(f => f.Cell == cell);
        Assert.Equal(80, Get(month1, "personnes_recues").Value);
        Assert.Equal(FigureStatus.Partial, Get(month1, "personnes_recues").Status);
        Assert.Equal(2 * 3 * 25, Get(quarter, "personnes_nouvelles").Value);
        Assert.Equal(2 * 55, Get(quarter, "file_active_fin").Value);
        Assert.False(Get(quarter, "personnes_recues").HasValue);
        Assert.Equal(FigureStatus.NotDerivable, Get(quarter, "personnes_recues").Status);
        Assert.Equal(6, quarter.Provenance.GridsUsed);
        Assert.Equal(["2025.1"], quarter.Provenance.SchemaVersions);
        Assert.Contains(quarter.Notes, n => n.Contains("compte deux fois"));
        var population = quarter.Area.Population;
        Assert.Equal(150 * 100_000.0 / population, Get(quarter, "personnes_nouvelles").RatePer100K, 6);
    }

    [Fact]
    public async Task Partial_figures_can_be_excluded_and_rates_use_population_and_full_time_posts()
    {
        var posts = MonthlyPostsOf("33");
        await SubmitAsync(TestGrids.Valid(posts[1], "2021-09"));
        var area = new Area { Level = AreaLevel.Department, Code = "33" };
        var request = new ConsolidateRequest { Area = area, Period = "2021-09", Cells = { "entretiens" }, Disclosure = Disclosure.Raw };

        var included = await _aggregates.ConsolidateAsync(request);
        request.ExcludePartial = true;
        var excluded = await _aggregates.ConsolidateAsync(request);

        var figure = included.Figures.Single(f => f.Cell == "entretiens");
        Assert.Equal(FigureStatus.Partial, figure.Status);
        Assert.Equal(70, figure.Value);
        Assert.Equal(70 * 100_000.0 / included.Area.Population, figure.RatePer100K, 9);
        Assert.Equal(70 / included.Coverage.Fte, figure.RatePerFte, 9);
        Assert.Equal(1, included.Provenance.ContributingPosts);
        Assert.True(included.Provenance.ExpectedPosts >= posts.Count, $"{included.Provenance.ExpectedPosts} expected");
        var withheld = excluded.Figures.Single(f => f.Cell == "entretiens");
        Assert.Equal(FigureStatus.PartialExcluded, withheld.Status);
        Assert.False(withheld.HasValue);
    }

    [Fact]
    public async Task Small_counts_are_suppressed_in_publication_and_raw_shows_them()
    {
        var post = MonthlyPostsOf("33")[0];
        await SubmitAsync(TestGrids.Valid(post, "2021-06"));
        var area = new Area { Level = AreaLevel.Department, Code = "33" };

        var published = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = area, Period = "2021-06", Cells = { "personnes_recues" } });
        var raw = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = area, Period = "2021-06", Cells = { "personnes_recues" }, Disclosure = Disclosure.Raw });

        // statut=autre is 1: suppressed (one flag for every suppressed cell, by default). This is the only grid of the
        // month, so the nation (always published) equals the department and pins the 1 whatever is hidden: only the
        // small counts are hidden, no other cell for nothing.
        var autre = published.Figures.Single(f => f.Cell == "personnes_recues[statut=autre]");
        Assert.False(autre.HasValue);
        Assert.Equal(Confidentiality.Suppressed, autre.Confidentiality);
        Assert.Equal(
            raw.Figures.Where(f => f.Value is >= 1 and < 5).Select(f => f.Cell).Order(),
            published.Figures.Where(f => f.Confidentiality != Confidentiality.Free).Select(f => f.Cell).Order());
        Assert.Equal(1, raw.Figures.Single(f => f.Cell == "personnes_recues[statut=autre]").Value);
        Assert.Equal(Disclosure.Publication, published.Disclosure);
        Assert.Equal(5, published.SuppressionThreshold);
    }

    [Fact]
    public async Task Post_figures_are_not_published_and_raw_post_figures_are_its_own_grid()
    {
        var post = MonthlyPostsOf("13")[0];
        await SubmitAsync(TestGrids.Valid(post, "2020-02"));
        var area = new Area { Level = AreaLevel.Post, Code = post };

        var error = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = area, Period = "2020-02" }).ResponseAsync);
        var raw = await _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = area, Period = "2020-02", Disclosure = Disclosure.Raw });

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(40, raw.Figures.Single(f => f.Cell == "personnes_recues").Value);
        Assert.Equal(FigureStatus.Complete, raw.Figures.Single(f => f.Cell == "personnes_recues").Status);
    }

    [Fact]
    public async Task Completeness_counts_expected_on_time_late_and_missing_grids()
    {
        var posts = MonthlyPostsOf("62");
        await SubmitAsync(TestGrids.Valid(posts[0], "2019-01"), receivedAt: new DateTime(2019, 2, 10));
        await SubmitAsync(TestGrids.Valid(posts[1], "2019-01"), receivedAt: new DateTime(2019, 2, 20));

        var answer = await _aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = new Area { Level = AreaLevel.Department, Code = "62" }, Period = "2019-01" });

        var monthlyCount = answer.Posts.Count;
        Assert.Equal(1, answer.Counts.OnTime);
        Assert.Equal(1, answer.Counts.Late);
        Assert.Equal(2, answer.Counts.Received);
        Assert.Equal(answer.Counts.Expected - 2, answer.Counts.Missing);
        Assert.Equal(["2019-01"], answer.Posts.Single(p => p.PostId == posts[1]).LatePeriods);
        Assert.Equal(monthlyCount, answer.Children.Count);
        Assert.Equal(15, answer.DeadlineDays);
    }

    [Fact]
    public async Task Series_has_one_point_per_month_with_changes_and_a_trend()
    {
        var post = MonthlyPostsOf("2A")[0];
        for (var month = 1; month <= 6; month++)
        {
            var grid = TestGrids.Valid(post, $"2018-{month:D2}");
            grid.Values["accompagnements_physiques"] = 10 * month;
            await SubmitAsync(grid);
        }

        var series = await _aggregates.GetSeriesAsync(new GetSeriesRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = post },
            Cell = "accompagnements_physiques",
            From = "2018-01",
            To = "2018-06",
            Granularity = Granularity.Month,
            Disclosure = Disclosure.Raw,
        });

        Assert.Equal([10L, 20, 30, 40, 50, 60], series.Points.Select(p => p.Value));
        Assert.Equal(10, series.Points[1].Change);
        Assert.Equal(100.0, series.Points[1].ChangePercent, 6);
        Assert.Equal(10.0, series.Trend.Slope, 6);
        Assert.Equal(1.0, series.Trend.RSquared, 6);
    }

    [Fact]
    public async Task Comparing_the_departments_of_a_region_ranks_them()
    {
        var posts = MonthlyPostsOf("59").Skip(2).Take(1).Concat(MonthlyPostsOf("62").Skip(2).Take(1)).ToList();
        var bigger = TestGrids.Valid(posts[0], "2017-12");
        await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(bigger));
        await SubmitAsync(TestGrids.Valid(posts[0], "2024-12"));
        var second = TestGrids.Valid(posts[1], "2024-12");
        second.Values["accompagnements_physiques"] = 50;
        await SubmitAsync(second);

        var answer = await _aggregates.CompareAreasAsync(new CompareAreasRequest
        {
            Area = new Area { Level = AreaLevel.Region, Code = "32" },
            Cell = "accompagnements_physiques",
            Period = "2024-12",
            Disclosure = Disclosure.Raw,
        });

        Assert.Equal(5, answer.Children.Count);
        Assert.Equal("62", answer.Children[0].Area.Code);
        Assert.Equal(1, answer.Children[0].Rank);
        Assert.Equal(50, answer.Children[0].Value);
        Assert.Equal("59", answer.Children[1].Area.Code);
        Assert.True(answer.Children[0].RatePer100K > 0);
    }

    [Fact]
    public async Task Unknown_area_and_bad_period_are_refused_clearly()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "96" }, Period = "2025" }).ResponseAsync);
        var badPeriod = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2025-13" }).ResponseAsync);
        var badCell = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2025", Cells = { "inconnu" } }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badPeriod.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badCell.StatusCode);
    }
}
