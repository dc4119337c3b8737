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

        // Asked by name; and a reader of published figures reads at the cut-off itself (looked up by its microsecond in
        // the database), not a microsecond later.
        Assert.Equal(edition, (await editions.ListEditionsAsync(new ListEditionsRequest { Edition = "PG-2020" })).Editions.Single());
        var analyst = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));
        var national = new ConsolidateRequest { Area = new Area { Level = AreaLevel.National }, Period = "2020", Cells = { "entretiens" }, AsOf = stored.CutOff };
        Assert.True((await analyst.ConsolidateAsync(national)).Figures.Single(f => f.Cell == "entretiens").Value >= 70);
        national.AsOf = Timestamp.FromDateTime(stored.CutOff.ToDateTime().AddTicks(10));
        var later = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => analyst.ConsolidateAsync(national).ResponseAsync);
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, later.StatusCode);
        Assert.Contains("Les chiffres publiés se lisent", later.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_postgresql_an_edition_keeps_the_registry_as_recorded_at_its_cut_off()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var admin = new AdminService.AdminServiceClient(server.CreateChannel());
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var reports = new ReportService.ReportServiceClient(server.CreateChannel());
        var open = TestGrids.OpenPosts(Core.Registry.ReportingFrequency.Month).Where(p => p.ActiveFrom.Year < 2019).Skip(20).ToList();
        List<Data.PostRecord> posts = [open[0], open.First(p => p.DepartmentCode != open[0].DepartmentCode)];
        foreach (var post in posts)
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2019")));
        }

        var edition = await new EditionService.EditionServiceClient(server.CreateChannel()).PublishEditionAsync(new PublishEditionRequest { Year = 2019, Edition = "pg-registre" });
        var department = new Area { Level = AreaLevel.Department, Code = posts[0].DepartmentCode };
        var request = new ConsolidateRequest { Area = department, Period = "2019", Disclosure = Disclosure.Raw, AsOf = edition.CutOff };
        var before = await aggregates.ConsolidateAsync(request);

        await admin.UpdatePostAsync(new UpdatePostRequest { Id = posts[0].Id, Name = "Renommé après l'édition", Fte = 0.5 });
        await admin.MovePostAsync(new MovePostRequest { Id = posts[1].Id, DepartmentCode = posts[0].DepartmentCode, From = "2019-02-01" });
        await admin.AddPostAsync(new AddPostRequest
        {
            Post = new Post { Id = "P-PG-990", Name = "Saisi après l'édition", DepartmentCode = posts[0].DepartmentCode, Frequency = ReportingFrequency.Month, Zone = Zone.Police, ActiveFrom = "2018-01-01" },
        });

        Assert.Equal(before, await aggregates.ConsolidateAsync(request));
        var export = await ReportChunks.ReadAsync(reports.ExportFigures(new ExportFiguresRequest { Format = ExportFormat.Csv, Level = AreaLevel.Department, Period = "2019", AsOf = edition.CutOff }));
        Assert.Equal(edition.Files.Single(f => f.FileName == export.Summary.FileName).Sha256, export.Summary.Sha256);
        request.AsOf = null;
        var today = await aggregates.ConsolidateAsync(request);
        Assert.Equal(before.Coverage.ActivePosts + 2, today.Coverage.ActivePosts);
        Assert.Equal(before.Coverage.Fte + 1.5, today.Coverage.Fte, 6);
        var cutOff = edition.CutOff.ToDateTime();
        var recorded = await server.QueryAsync(db => db.PostVersions.Where(v => !v.Baseline && v.RecordedAtUtc > cutOff).OrderBy(v => v.Id).Select(v => v.PostId).ToListAsync());
        Assert.Equal([posts[0].Id, posts[1].Id, "P-PG-990"], recorded);
    }
}
