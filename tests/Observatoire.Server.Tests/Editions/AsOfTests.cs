using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Editions;

/// <summary>Reads as of an instant through the real server: only the revisions received by then count, secrecy included.</summary>
public class AsOfTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AggregateService.AggregateServiceClient _aggregates = new(server.CreateChannel());
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    /// <summary>A valid grid whose interviews are shifted by <paramref name="more"/> (by phone).</summary>
    internal static Grid Revised(string post, string period, int more)
    {
        var grid = TestGrids.Valid(post, period);
        grid.Values["entretiens"] += more;
        grid.Values["entretiens[modalite=telephonique]"] += more;
        return grid;
    }

    /// <summary>When the last stored revision of a post's grid was received.</summary>
    private Task<DateTime> ReceivedAsync(string post, string period) =>
        server.QueryAsync(db => db.GridRevisions.Where(g => g.PostId == post && g.Period == period).MaxAsync(g => g.ReceivedAtUtc));

    private static ConsolidateRequest Request(AreaLevel level, string code, string period, bool raw = false, DateTime? asOf = null)
    {
        var request = new ConsolidateRequest
        {
            Area = new Area { Level = level, Code = code },
            Period = period,
            Cells = { "entretiens" },
            Disclosure = raw ? Disclosure.Raw : Disclosure.Publication,
        };
        if (asOf is { } instant)
        {
            request.AsOf = Timestamp.FromDateTime(DateTime.SpecifyKind(instant, DateTimeKind.Utc));
        }

        return request;
    }

    [Fact]
    public async Task Figures_as_of_an_instant_count_only_the_revisions_received_by_then()
    {
        var post = TestGrids.MonthlyPost(3);
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-05")));
        var first = await ReceivedAsync(post.Id, "2019-05");
        await _grids.SubmitGridAsync(TestGrids.Submission(Revised(post.Id, "2019-05", 9)));

        var postToday = await _aggregates.ConsolidateAsync(Request(AreaLevel.Post, post.Id, "2019-05", raw: true));
        var postThen = await _aggregates.ConsolidateAsync(Request(AreaLevel.Post, post.Id, "2019-05", raw: true, asOf: first));
        var nationToday = await _aggregates.ConsolidateAsync(Request(AreaLevel.National, "", "2019-05"));
        var nationThen = await _aggregates.ConsolidateAsync(Request(AreaLevel.National, "", "2019-05", asOf: first));
        var before = await _aggregates.ConsolidateAsync(Request(AreaLevel.National, "", "2019-05", asOf: first.AddTicks(-1)));

        Assert.Equal(79, postToday.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(70, postThen.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(79, nationToday.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(70, nationThen.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(first, nationThen.Provenance.DataAsOf.ToDateTime());
        Assert.Equal(0, before.Provenance.GridsUsed);
        Assert.False(before.Figures.Single(f => f.Cell == "entretiens").HasValue);

        // The same instant over the series and the comparison of the departments.
        var series = await _aggregates.GetSeriesAsync(new GetSeriesRequest
        {
            Area = new Area { Level = AreaLevel.Post, Code = post.Id },
            Cell = "entretiens",
            From = "2019-04",
            To = "2019-06",
            Granularity = Granularity.Month,
            Disclosure = Disclosure.Raw,
            AsOf = Timestamp.FromDateTime(first),
        });
        Assert.Equal(70, series.Points.Single(p => p.Period == "2019-05").Value);
        var compared = await _aggregates.CompareAreasAsync(new CompareAreasRequest
        {
            Area = new Area { Level = AreaLevel.Department, Code = post.DepartmentCode },
            Cell = "entretiens",
            Period = "2019-05",
            Disclosure = Disclosure.Raw,
            AsOf = Timestamp.FromDateTime(first),
        });
        Assert.Equal(70, compared.Children.Single(c => c.Area.Code == post.Id).Value);
    }

    [Fact]
    public async Task Published_figures_as_of_an_instant_keep_their_secrecy_and_leave_todays_alone()
    {
        // Two posts of a department: a department figure of 2 × 3 published; one small cell (1) is secret.
        var posts = TestGrids.OpenPosts(Core.Registry.ReportingFrequency.Month).Where(p => p.DepartmentCode == "64").Take(2).ToList();
        foreach (var post in posts)
        {
            await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-09")));
        }

        var cutOff = await ReceivedAsync(posts[1].Id, "2019-09");
        var request = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = "64" }, Period = "2019-09" };
        var then = await _aggregates.ConsolidateAsync(request);
        await _grids.SubmitGridAsync(TestGrids.Submission(Revised(posts[0].Id, "2019-09", 5)));

        var today = await _aggregates.ConsolidateAsync(request);
        var asOf = request.Clone();
        asOf.AsOf = Timestamp.FromDateTime(cutOff);
        var again = await _aggregates.ConsolidateAsync(asOf);

        Assert.Equal(then.Figures, again.Figures);
        Assert.Contains(again.Figures, f => f.Confidentiality is Confidentiality.Suppressed);
        Assert.All(again.Figures.Where(f => f.Confidentiality != Confidentiality.Free), f => Assert.False(f.HasValue));
        Assert.Equal(145, today.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(140, again.Figures.Single(f => f.Cell == "entretiens").Value);

        // Today's figures are still today's after the read as of the cut-off.
        Assert.Equal(today.Figures, (await _aggregates.ConsolidateAsync(request)).Figures);
    }

    [Theory]
    [InlineData(3600, "DATE_FUTURE")]
    [InlineData(-20L * 365 * 24 * 3600, "DATE_TROP_ANCIENNE")]
    public async Task An_instant_in_the_future_or_before_the_grid_is_refused_with_a_field_violation(long secondsFromNow, string reason)
    {
        var request = Request(AreaLevel.National, "", "2019-05");
        request.AsOf = Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(secondsFromNow));

        var error = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ConsolidateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("as_of", violation.Field);
        Assert.Equal(reason, violation.Reason);
    }

    [Fact]
    public async Task A_timestamp_out_of_range_is_refused_not_failed()
    {
        var request = Request(AreaLevel.National, "", "2019-05");
        request.AsOf = new Timestamp { Seconds = long.MaxValue / 2, Nanos = 5 };

        var error = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ConsolidateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("DATE_INVALIDE", error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Single().Reason);
    }

    [Fact]
    public async Task Many_distinct_instants_share_the_cubes_of_the_revisions_they_name()
    {
        var post = TestGrids.MonthlyPost(5);
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-11")));
        var first = await ReceivedAsync(post.Id, "2019-11");
        var request = Request(AreaLevel.Post, post.Id, "2019-11", raw: true);

        // Hundreds of instants after the grid: every one is the same figures, and the server stays bounded.
        for (var i = 0; i < 200; i++)
        {
            request.AsOf = Timestamp.FromDateTime(first.AddMilliseconds(i));
            Assert.Equal(70, (await _aggregates.ConsolidateAsync(request)).Figures.Single(f => f.Cell == "entretiens").Value);
        }

        var views = (Aggregates.FigureViews)server.Services.GetService(typeof(Aggregates.FigureViews))!;
        Assert.InRange(views.CachedCubes, 1, 3);
    }

    [Fact]
    public async Task As_of_over_rest_is_an_rfc3339_query_parameter()
    {
        var post = TestGrids.MonthlyPost(7);
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-07")));
        var first = await ReceivedAsync(post.Id, "2019-07");
        await _grids.SubmitGridAsync(TestGrids.Submission(Revised(post.Id, "2019-07", 4)));
        var client = server.CreateRestClient();
        var instant = first.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var then = await client.GetAsync($"/v1/figures?area.level=AREA_LEVEL_POST&area.code={post.Id}&period=2019-07&cells=entretiens&disclosure=DISCLOSURE_RAW&as_of={instant}");
        var future = await client.GetAsync($"/v1/figures?area.level=AREA_LEVEL_NATIONAL&period=2019-07&as_of=2999-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, then.StatusCode);
        var figures = JsonParser.Default.Parse<ConsolidateResponse>(await then.Content.ReadAsStringAsync());
        Assert.Equal(70, figures.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("DATE_FUTURE", await future.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
