using System.Globalization;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Data;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Editions;

/// <summary>Completeness and outliers as of an instant through the real server: only the grids received by then count.</summary>
public class AsOfQualityTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AggregateService.AggregateServiceClient _aggregates = new(server.CreateChannel());
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    private Task<DateTime> ReceivedAsync(string post, string period) =>
        server.QueryAsync(db => db.GridRevisions.Where(g => g.PostId == post && g.Period == period).MaxAsync(g => g.ReceivedAtUtc));

    private static Timestamp At(DateTime instant) => Timestamp.FromDateTime(DateTime.SpecifyKind(instant, DateTimeKind.Utc));

    private static GetCompletenessRequest Completeness(AreaLevel level, string code, string period, DateTime? asOf = null)
    {
        var request = new GetCompletenessRequest { Area = new Area { Level = level, Code = code }, Period = period };
        if (asOf is { } instant)
        {
            request.AsOf = At(instant);
        }

        return request;
    }

    [Fact]
    public async Task Completeness_as_of_an_instant_counts_only_the_grids_received_by_then()
    {
        var post = TestGrids.MonthlyPost(2);
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-01")));
        var first = await ReceivedAsync(post.Id, "2019-01");
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-02")));

        var today = await _aggregates.GetCompletenessAsync(Completeness(AreaLevel.Post, post.Id, "2019-T1"));
        var then = await _aggregates.GetCompletenessAsync(Completeness(AreaLevel.Post, post.Id, "2019-T1", first));

        Assert.Equal((3, 2, 1), (today.Counts.Expected, today.Counts.Received, today.Counts.Missing));
        Assert.Equal((3, 1, 2), (then.Counts.Expected, then.Counts.Received, then.Counts.Missing));
        Assert.Equal(["2019-02", "2019-03"], then.Posts.Single().MissingPeriods);

        // Early in the quarter, only the months already over were expected, and nothing had been received.
        var early = await _aggregates.GetCompletenessAsync(Completeness(AreaLevel.Post, post.Id, "2019-T1", new DateTime(2019, 2, 10, 12, 0, 0, DateTimeKind.Utc)));
        Assert.Equal((1, 0, 1), (early.Counts.Expected, early.Counts.Received, early.Counts.Missing));
        Assert.Equal(["2019-01"], early.Posts.Single().MissingPeriods);
    }

    [Fact]
    public async Task A_post_opened_after_the_instant_is_not_expected_as_of_that_instant()
    {
        var opened = ReferenceData.LoadEmbeddedPosts()
            .First(p => p.Frequency == ReportingFrequency.Month && p.ActiveTo is null && p.ActiveFrom.Year >= 2020 && p.ActiveFrom.Month >= 3);
        var year = opened.ActiveFrom.Year.ToString(CultureInfo.InvariantCulture);
        var before = opened.ActiveFrom.AddDays(-10).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
        var afterTwoMonths = opened.ActiveFrom.AddMonths(2).AddDays(5).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);

        var today = await _aggregates.GetCompletenessAsync(Completeness(AreaLevel.Department, opened.DepartmentCode, year));
        var then = await _aggregates.GetCompletenessAsync(Completeness(AreaLevel.Department, opened.DepartmentCode, year, before));
        var later = await _aggregates.GetCompletenessAsync(Completeness(AreaLevel.Department, opened.DepartmentCode, year, afterTwoMonths));

        Assert.Equal(13 - opened.ActiveFrom.Month, today.Posts.Single(p => p.PostId == opened.Id).Counts.Expected);
        Assert.DoesNotContain(then.Posts, p => p.PostId == opened.Id);
        Assert.Equal(2, later.Posts.Single(p => p.PostId == opened.Id).Counts.Expected);
    }

    [Fact]
    public async Task Outliers_as_of_an_instant_examine_the_revisions_received_by_then()
    {
        // Six months of history (70 to 75 interviews), then a seventh month in line with it.
        var post = TestGrids.MonthlyPost(4);
        for (var month = 1; month <= 6; month++)
        {
            await _grids.SubmitGridAsync(TestGrids.Submission(AsOfTests.Revised(post.Id, $"2019-{month:00}", month - 1)));
        }

        await _grids.SubmitGridAsync(TestGrids.Submission(AsOfTests.Revised(post.Id, "2019-07", 2)));
        var cutOff = await ReceivedAsync(post.Id, "2019-07");

        // A revision of the seventh month far above the history.
        await _grids.SubmitGridAsync(TestGrids.Submission(AsOfTests.Revised(post.Id, "2019-07", 300)));
        var request = new ListOutliersRequest { Area = new Area { Level = AreaLevel.Post, Code = post.Id }, Period = "2019-07", Cells = { "entretiens" } };
        var today = await _aggregates.ListOutliersAsync(request);
        var asOf = request.Clone();
        asOf.AsOf = At(cutOff);
        var then = await _aggregates.ListOutliersAsync(asOf);

        // The indicator's cells: its total and the phone interviews the revision raised.
        Assert.Equal(["entretiens", "entretiens[modalite=telephonique]"], today.Outliers.Select(o => o.Cell).Order(StringComparer.Ordinal));
        var outlier = today.Outliers.Single(o => o.Cell == "entretiens");
        Assert.Equal((370L, "historique"), (outlier.Value, outlier.Reference));
        Assert.Empty(then.Outliers);

        // The post's own key sees its outliers as of the instant; an analyst is refused as today, instant or not.
        var own = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.PostKeyAsync(post.Id)));
        Assert.Empty((await own.ListOutliersAsync(asOf)).Outliers);
        var analyst = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));
        var denied = await Assert.ThrowsAsync<RpcException>(() => analyst.ListOutliersAsync(asOf).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task Completeness_and_outliers_refuse_an_instant_in_the_future_with_a_field_violation()
    {
        var future = Timestamp.FromDateTime(DateTime.UtcNow.AddHours(1));
        var completeness = Completeness(AreaLevel.National, "", "2019");
        completeness.AsOf = future;
        var outliers = new ListOutliersRequest { Area = new Area { Level = AreaLevel.National }, AsOf = new Timestamp { Seconds = -62_000_000_000 } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => _aggregates.GetCompletenessAsync(completeness).ResponseAsync);
        var ancient = await Assert.ThrowsAsync<RpcException>(() => _aggregates.ListOutliersAsync(outliers).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var violation = Assert.Single(refused.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal(("as_of", "DATE_FUTURE"), (violation.Field, violation.Reason));
        Assert.Contains("dans le futur", violation.Description, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, ancient.StatusCode);
        Assert.Equal("DATE_TROP_ANCIENNE", ancient.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Single().Reason);
    }

    [Fact]
    public async Task Completeness_as_of_over_rest_is_an_rfc3339_query_parameter()
    {
        var post = TestGrids.MonthlyPost(6);
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-04")));
        var first = await ReceivedAsync(post.Id, "2019-04");
        await _grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-05")));
        var client = server.CreateRestClient();
        var instant = first.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        var then = await client.GetAsync($"/v1/completeness?area.level=AREA_LEVEL_POST&area.code={post.Id}&period=2019-T2&as_of={instant}");
        var today = await client.GetAsync($"/v1/completeness?area.level=AREA_LEVEL_POST&area.code={post.Id}&period=2019-T2");
        var future = await client.GetAsync($"/v1/outliers?area.level=AREA_LEVEL_NATIONAL&as_of=2999-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, then.StatusCode);
        Assert.Equal(1, JsonParser.Default.Parse<GetCompletenessResponse>(await then.Content.ReadAsStringAsync()).Counts.Received);
        Assert.Equal(2, JsonParser.Default.Parse<GetCompletenessResponse>(await today.Content.ReadAsStringAsync()).Counts.Received);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Contains("DATE_FUTURE", await future.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
