using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Editions;

/// <summary>
/// Who may read figures as of which instant: published figures at any instant would give a grid away (the table a
/// moment before its reception subtracted from the table a moment after), so only those who may read the figures raw
/// ask any instant; every other reader reads today's or a published edition's cut-off.
/// </summary>
public class AsOfAccessTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static ConsolidateRequest Table(Area area, Timestamp asOf, Disclosure disclosure = Disclosure.Publication) =>
        new() { Area = area, Period = "2019-06", Cells = { "entretiens" }, Disclosure = disclosure, AsOf = asOf };

    private static readonly Area Nation = new() { Level = AreaLevel.National };

    private static void RefusedAsUnpublished(RpcException error)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal(("as_of", "DATE_NON_PUBLIEE"), (violation.Field, violation.Reason));
    }

    [Fact]
    public async Task A_grid_cannot_be_read_as_the_difference_of_two_published_instants_around_its_reception()
    {
        var post = TestGrids.MonthlyPost(5);
        var admin = new GridService.GridServiceClient(server.CreateChannel());
        await admin.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(6).Id, "2019-06")));
        await admin.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019-06")));
        var received = await server.QueryAsync(db => db.GridRevisions.Where(g => g.PostId == post.Id && g.Period == "2019-06").MaxAsync(g => g.ReceivedAtUtc));
        var before = Timestamp.FromDateTime(DateTime.SpecifyKind(received.AddTicks(-10), DateTimeKind.Utc));
        var after = Timestamp.FromDateTime(DateTime.SpecifyKind(received, DateTimeKind.Utc));

        // The administration may read raw figures, so any instant: the difference is the grid it may read anyway.
        var figures = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var difference = (await figures.ConsolidateAsync(Table(Nation, after))).Figures.Single(f => f.Cell == "entretiens").Value
            - (await figures.ConsolidateAsync(Table(Nation, before))).Figures.Single(f => f.Cell == "entretiens").Value;
        Assert.Equal(70, difference);

        // An analyst and a report key read published figures: neither instant, on any read path.
        foreach (var key in new[] { await server.AnalystKeyAsync("national"), await server.ReportKeyAsync() })
        {
            var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel(key));
            RefusedAsUnpublished(await Assert.ThrowsAsync<RpcException>(() => aggregates.ConsolidateAsync(Table(Nation, after)).ResponseAsync));
            RefusedAsUnpublished(await Assert.ThrowsAsync<RpcException>(() => aggregates.GetSeriesAsync(new GetSeriesRequest
            {
                Area = Nation, Cell = "entretiens", From = "2019-05", To = "2019-06", Granularity = Granularity.Month, AsOf = before,
            }).ResponseAsync));
            RefusedAsUnpublished(await Assert.ThrowsAsync<RpcException>(() => aggregates.CompareAreasAsync(new CompareAreasRequest
            {
                Area = Nation, Cell = "entretiens", Period = "2019-06", AsOf = after,
            }).ResponseAsync));
            var reports = new ReportService.ReportServiceClient(server.CreateChannel(key));
            RefusedAsUnpublished(await Assert.ThrowsAsync<RpcException>(() => reports.RenderChartAsync(new RenderChartRequest
            {
                Kind = ChartKind.Map, Cell = "entretiens", Period = "2019-06", AsOf = after,
            }).ResponseAsync));
            RefusedAsUnpublished(await Assert.ThrowsAsync<RpcException>(() => ReportChunks.ReadAsync(reports.ExportFigures(new ExportFiguresRequest
            {
                Format = ExportFormat.Csv, Level = AreaLevel.National, Period = "2019-06", AsOf = after,
            }))));

            // Which grids were received is no figure: completeness takes any instant, as a table or a chart.
            await aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = Nation, Period = "2019-06", AsOf = before });
            await reports.RenderChartAsync(new RenderChartRequest { Kind = ChartKind.Completeness, Period = "2019", AsOf = before });
        }

        // A post reads its own figures raw at any instant.
        var own = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.PostKeyAsync(post.Id)));
        var mine = await own.ConsolidateAsync(Table(new Area { Level = AreaLevel.Post, Code = post.Id }, after, Disclosure.Raw));
        Assert.Equal(70, mine.Figures.Single(f => f.Cell == "entretiens").Value);
    }

    [Fact]
    public async Task A_published_editions_cut_off_is_read_by_every_reader_of_published_figures()
    {
        await new GridService.GridServiceClient(server.CreateChannel()).SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(7).Id, "2019-06")));
        var edition = await new EditionService.EditionServiceClient(server.CreateChannel()).PublishEditionAsync(new PublishEditionRequest { Year = 2019, Edition = "acces-2019" });
        var analyst = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));
        var admin = new AggregateService.AggregateServiceClient(server.CreateChannel());

        var read = await analyst.ConsolidateAsync(Table(Nation, edition.CutOff));

        Assert.Equal((await admin.ConsolidateAsync(Table(Nation, edition.CutOff))).Figures.Single(f => f.Cell == "entretiens"), read.Figures.Single(f => f.Cell == "entretiens"));

        // A microsecond off the cut-off is another instant; the refusal names the cut-offs there are.
        var off = await Assert.ThrowsAsync<RpcException>(() => analyst.ConsolidateAsync(Table(Nation, new Timestamp
        {
            Seconds = edition.CutOff.Seconds, Nanos = (edition.CutOff.Nanos + 1000) % 1_000_000_000,
        })).ResponseAsync);
        RefusedAsUnpublished(off);
        Assert.Contains(edition.CutOff.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), off.Status.Detail, StringComparison.Ordinal);
        Assert.EndsWith("qui lit les chiffres bruts.", off.Status.Detail, StringComparison.Ordinal); // whole, not clipped
    }
}
