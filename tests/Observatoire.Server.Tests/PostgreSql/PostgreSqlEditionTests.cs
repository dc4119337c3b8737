using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;
using Observatoire.Server.Tests.Editions;

namespace Observatoire.Server.Tests;

/// <summary>Reads as of an instant and editions on PostgreSQL: the revisions received by then, a cut-off kept to the microsecond.</summary>
[Trait("Category", "PostgreSql")]
public sealed class PostgreSqlEditionTests(PostgreSqlServerFixture server) : IClassFixture<PostgreSqlServerFixture>
{
    [Fact]
    public async Task An_edition_on_postgresql_reads_its_cut_off_back_exactly_and_as_of_skips_later_revisions()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var post = TestGrids.MonthlyPost(12).Id;
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2020")));
        var editions = new EditionService.EditionServiceClient(server.CreateChannel());

        var edition = await editions.PublishEditionAsync(new PublishEditionRequest { Year = 2020, Edition = "pg-2020" });
        await grids.SubmitGridAsync(TestGrids.Submission(AsOfTests.Revised(post, "2020", 11)));

        var stored = (await editions.ListEditionsAsync(new ListEditionsRequest { Year = 2020 })).Editions.Single();
        Assert.Equal(edition, stored);
        var request = new ConsolidateRequest { Area = new Area { Level = AreaLevel.Post, Code = post }, Period = "2020", Cells = { "entretiens" }, Disclosure = Disclosure.Raw };
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var today = await aggregates.ConsolidateAsync(request);
        request.AsOf = stored.CutOff;
        var then = await aggregates.ConsolidateAsync(request);
        Assert.Equal(81, today.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(70, then.Figures.Single(f => f.Cell == "entretiens").Value);
        Assert.Equal(2, await server.QueryAsync(db => db.GridRevisions.CountAsync(g => g.PostId == post && g.Period == "2020")));
    }
}
