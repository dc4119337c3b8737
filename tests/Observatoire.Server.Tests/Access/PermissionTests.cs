using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Access;

/// <summary>Each rule of "who may do what", tried the forbidden way through the generated client.</summary>
public class PermissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly Observatoire.Data.PostRecord Own = TestGrids.MonthlyPost(0);
    private static readonly Observatoire.Data.PostRecord Foreign = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode != Own.DepartmentCode);

    private static Area Department(string code) => new() { Level = AreaLevel.Department, Code = code };

    private static Area Post(string id) => new() { Level = AreaLevel.Post, Code = id };

    private static readonly Area Nation = new() { Level = AreaLevel.National };

    private static async Task<string> DeniedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.StartsWith("Droit manquant", error.Status.Detail.Replace("Les chiffres par poste", "Droit manquant", StringComparison.Ordinal));
        return error.Status.Detail;
    }

    private ConsolidateRequest Table(Area area, Disclosure disclosure = Disclosure.Publication) =>
        new() { Area = area, Period = "2021-03", Cells = { "entretiens" }, Disclosure = disclosure };

    // ---- poste ----

    [Fact]
    public async Task A_post_submits_and_reads_its_own_grids_but_never_another_posts()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync(Own.Id)));
        var stored = await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Own.Id, "2021-01")));
        Assert.Equal(1, stored.Revision);
        Assert.Single((await grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = Own.Id, Period = "2021-01" })).Revisions);
        Assert.Equal(Own.Id, (await grids.GetGridAsync(new GetGridRequest { PostId = Own.Id, Period = "2021-01" })).Grid.PostId);

        var (before, _) = await server.CountRowsAsync();
        var detail = await DeniedAsync(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Foreign.Id, "2021-01"))).ResponseAsync);
        Assert.Contains("dépôt de grilles pour ce poste", detail);
        await DeniedAsync(() => grids.ValidateGridAsync(new ValidateGridRequest { Grid = TestGrids.Valid(Foreign.Id, "2021-01") }).ResponseAsync);
        await DeniedAsync(() => grids.GetGridAsync(new GetGridRequest { PostId = Foreign.Id, Period = "2021-01" }).ResponseAsync);
        await DeniedAsync(() => grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = Foreign.Id, Period = "2021-01" }).ResponseAsync);
        Assert.Equal(before, (await server.CountRowsAsync()).Revisions);
    }

    [Fact]
    public async Task A_post_stating_a_reception_date_is_refused_and_nothing_is_written()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync(Own.Id)));
        var request = TestGrids.Submission(TestGrids.Valid(Own.Id, "2021-05"));
        request.ReceivedAt = Timestamp.FromDateTime(new DateTime(2021, 6, 3, 0, 0, 0, DateTimeKind.Utc));
        var (before, _) = await server.CountRowsAsync();

        var detail = await DeniedAsync(() => grids.SubmitGridAsync(request).ResponseAsync);

        Assert.Contains("import historique", detail);
        Assert.Equal(before, (await server.CountRowsAsync()).Revisions);
    }

    [Fact]
    public async Task In_a_stream_a_grid_for_another_post_is_refused_alone_and_the_stream_goes_on()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync(Own.Id)));
        var results = await TestGrids.SubmitInOneStreamAsync(grids, [TestGrids.Submission(TestGrids.Valid(Foreign.Id, "2021-02")), TestGrids.Submission(TestGrids.Valid(Own.Id, "2021-02"))]);

        Assert.Equal(["PERMISSION_DENIED", "OK"], results.Select(r => r.Status));
    }

    [Fact]
    public async Task A_post_reads_raw_figures_of_its_own_post_only()
    {
        var key = await server.PostKeyAsync(Own.Id);
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel(key));
        var own = await aggregates.ConsolidateAsync(Table(Post(Own.Id), Disclosure.Raw));
        Assert.Equal(Disclosure.Raw, own.Disclosure);

        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Post(Foreign.Id), Disclosure.Raw)).ResponseAsync);
        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Department(Own.DepartmentCode))).ResponseAsync);
        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Nation)).ResponseAsync);
        await DeniedAsync(() => aggregates.ListOutliersAsync(new ListOutliersRequest { Area = Nation }).ResponseAsync);
        await aggregates.ListOutliersAsync(new ListOutliersRequest { Area = Post(Own.Id) });
        await DeniedAsync(() => aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = Department(Own.DepartmentCode), Period = "2021" }).ResponseAsync);
        await DeniedAsync(() => new ReportService.ReportServiceClient(server.CreateChannel(key))
            .RenderChartAsync(new RenderChartRequest { Kind = ChartKind.TimeSeries, Period = "2021-03" }).ResponseAsync);
    }

    [Fact]
    public async Task Only_an_admin_key_reaches_the_admin_service()
    {
        foreach (var key in new[] { await server.PostKeyAsync(Own.Id), await server.AnalystKeyAsync("national"), await server.ReportKeyAsync() })
        {
            var admin = new AdminService.AdminServiceClient(server.CreateChannel(key));
            var detail = await DeniedAsync(() => admin.ListKeysAsync(new ListKeysRequest()).ResponseAsync);
            Assert.Equal("Droit manquant : administration (clé admin).", detail);
            await DeniedAsync(() => admin.CreateKeyAsync(new CreateKeyRequest { Role = Role.Admin }).ResponseAsync);
            await DeniedAsync(() => admin.ListAuditAsync(new ListAuditRequest()).ResponseAsync);
            await DeniedAsync(() => admin.AddPostAsync(new AddPostRequest { Post = new Post { Id = "P-X" } }).ResponseAsync);
            await DeniedAsync(() => admin.UpdatePostAsync(new UpdatePostRequest { Id = "P-X", Name = "x" }).ResponseAsync);
            await DeniedAsync(() => admin.ReopenCampaignAsync(new CampaignRequest { Period = "2021-01", Reason = "x" }).ResponseAsync);
        }
    }

    // ---- analyste ----

    [Fact]
    public async Task An_analyst_reads_published_figures_within_its_scope_only()
    {
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.AnalystKeyAsync("departement:48")));
        var lozere = await aggregates.ConsolidateAsync(Table(Department("48")));
        Assert.Equal(Disclosure.Publication, lozere.Disclosure);

        var detail = await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Department("09"))).ResponseAsync);
        Assert.Contains("hors de votre périmètre (departement:48)", detail);
        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(new Area { Level = AreaLevel.Region, Code = "76" })).ResponseAsync);
        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Nation)).ResponseAsync);
        await DeniedAsync(() => aggregates.GetSeriesAsync(new GetSeriesRequest { Area = Department("09"), Cell = "entretiens", From = "2021-01", To = "2021-03", Granularity = Granularity.Month }).ResponseAsync);
        await DeniedAsync(() => aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = Department("09"), Period = "2021" }).ResponseAsync);
        await aggregates.GetCompletenessAsync(new GetCompletenessRequest { Area = Department("48"), Period = "2021" });
    }

    [Fact]
    public async Task An_analyst_never_reads_raw_or_per_post_figures()
    {
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));
        var detail = await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Department("48"), Disclosure.Raw)).ResponseAsync);
        Assert.Contains("lecture des chiffres bruts", detail);
        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Post(Own.Id), Disclosure.Raw)).ResponseAsync);
        await DeniedAsync(() => aggregates.CompareAreasAsync(new CompareAreasRequest { Area = Department("48"), Cell = "entretiens", Period = "2021", Disclosure = Disclosure.Raw }).ResponseAsync);
        await DeniedAsync(() => aggregates.CompareAreasAsync(new CompareAreasRequest { Area = Department("48"), Cell = "entretiens", Period = "2021" }).ResponseAsync);
        await DeniedAsync(() => aggregates.ListOutliersAsync(new ListOutliersRequest { Area = Department("48") }).ResponseAsync);
        var charts = new ReportService.ReportServiceClient(server.CreateChannel(await server.AnalystKeyAsync("national")));
        await DeniedAsync(() => charts.RenderChartAsync(new RenderChartRequest { Kind = ChartKind.Ranking, Area = Department("48"), Period = "2021" }).ResponseAsync);
        await DeniedAsync(() => charts.RenderChartAsync(new RenderChartRequest { Kind = ChartKind.TimeSeries, Area = Department("48"), Period = "2021-03", Disclosure = Disclosure.Raw }).ResponseAsync);
    }

    [Fact]
    public async Task A_regional_analyst_reads_its_region_and_departments_but_not_others_nor_grids()
    {
        var key = await server.AnalystKeyAsync("region:76");
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel(key));
        await aggregates.ConsolidateAsync(Table(new Area { Level = AreaLevel.Region, Code = "76" }));
        await aggregates.ConsolidateAsync(Table(Department("09")));
        await aggregates.CompareAreasAsync(new CompareAreasRequest { Area = new Area { Level = AreaLevel.Region, Code = "76" }, Cell = "entretiens", Period = "2021" });
        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Department("75"))).ResponseAsync);
        await DeniedAsync(() => aggregates.CompareAreasAsync(new CompareAreasRequest { Area = Nation, Cell = "entretiens", Period = "2021" }).ResponseAsync);

        var grids = new GridService.GridServiceClient(server.CreateChannel(key));
        var detail = await DeniedAsync(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Own.Id, "2021-04"))).ResponseAsync);
        Assert.Equal("Droit manquant : dépôt de grilles (clé de poste ou d'administration).", detail);
        await DeniedAsync(() => grids.GetGridAsync(new GetGridRequest { PostId = Own.Id, Period = "2021-01" }).ResponseAsync);
        var reports = new ReportService.ReportServiceClient(server.CreateChannel(key));
        using var national = reports.GenerateAnnualReport(new GenerateAnnualReportRequest { Year = 2021 });
        await DeniedAsync(() => national.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task A_map_draws_only_the_departments_its_caller_may_read_whatever_area_it_names()
    {
        // Two departments of the Paris inset, where each department is drawn as its code, then its value or why not.
        var paris = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode == "75");
        var hautsDeSeine = TestGrids.OpenPosts(ReportingFrequency.Month).First(p => p.DepartmentCode == "92");
        var admin = new GridService.GridServiceClient(server.CreateChannel());
        await admin.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(paris.Id, "2021-05")));
        await admin.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(hautsDeSeine.Id, "2021-05")));
        var map = new RenderChartRequest { Kind = ChartKind.Map, Cell = "entretiens", Period = "2021-05", Format = ImageFormat.Svg, Area = Department("75") };
        async Task<Dictionary<string, string>> LabelsAsync(string key, RenderChartRequest request)
        {
            var chart = await new ReportService.ReportServiceClient(server.CreateChannel(key)).RenderChartAsync(request);
            var texts = System.Xml.Linq.XDocument.Parse(chart.Image.ToStringUtf8()).Descendants()
                .Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
            return new[] { "75", "92" }.ToDictionary(code => code, code => texts.Skip(texts.LastIndexOf(code) + 1).First(t => t != "*"));
        }

        var everyone = await LabelsAsync(ServerFixture.AdminKey, map);
        Assert.DoesNotContain("n.d.", everyone.Values);

        // A department's analyst: its department, and no other, whatever area the request names.
        var analyst = await server.AnalystKeyAsync("departement:75");
        foreach (var area in new[] { Department("75"), Department("92"), Nation })
        {
            var labels = await LabelsAsync(analyst, new RenderChartRequest(map) { Area = area });
            Assert.Equal(everyone["75"], labels["75"]);
            Assert.Equal("n.d.", labels["92"]);
        }

        await DeniedAsync(() => new ReportService.ReportServiceClient(server.CreateChannel(analyst)).RenderChartAsync(new RenderChartRequest(map) { Disclosure = Disclosure.Raw }).ResponseAsync);

        // A post reads no department's figures: neither a map of its own post, raw or published.
        var post = new ReportService.ReportServiceClient(server.CreateChannel(await server.PostKeyAsync(paris.Id)));
        await DeniedAsync(() => post.RenderChartAsync(new RenderChartRequest(map) { Area = Post(paris.Id), Disclosure = Disclosure.Raw }).ResponseAsync);
        await DeniedAsync(() => post.RenderChartAsync(new RenderChartRequest(map) { Area = Post(paris.Id) }).ResponseAsync);
    }

    // ---- rapport ----

    [Fact]
    public async Task The_report_job_reads_every_area_published_and_nothing_raw_nor_grids()
    {
        var key = await server.ReportKeyAsync();
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel(key));
        Assert.Equal(Disclosure.Publication, (await aggregates.ConsolidateAsync(Table(Department("48")))).Disclosure);
        await aggregates.ConsolidateAsync(Table(Department("75")));
        await DeniedAsync(() => aggregates.ConsolidateAsync(Table(Department("48"), Disclosure.Raw)).ResponseAsync);
        await DeniedAsync(() => aggregates.ListOutliersAsync(new ListOutliersRequest { Area = Nation }).ResponseAsync);

        var charts = new ReportService.ReportServiceClient(server.CreateChannel(key));
        await charts.RenderChartAsync(new RenderChartRequest { Kind = ChartKind.TimeSeries, Area = Department("48"), Period = "2021-03", Width = 400, Height = 300 });
        await DeniedAsync(() => charts.RenderChartAsync(new RenderChartRequest { Kind = ChartKind.TimeSeries, Area = Department("48"), Period = "2021-03", Disclosure = Disclosure.Raw }).ResponseAsync);

        var grids = new GridService.GridServiceClient(server.CreateChannel(key));
        await DeniedAsync(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Own.Id, "2021-04"))).ResponseAsync);
        await DeniedAsync(() => grids.ListRevisionsAsync(new ListRevisionsRequest { PostId = Own.Id, Period = "2021-01" }).ResponseAsync);
    }

    // ---- admin and audit ----

    [Fact]
    public async Task Raw_reads_are_audited_with_the_key_id_and_published_reads_are_not()
    {
        var admin = new AggregateService.AggregateServiceClient(server.CreateChannel());
        await admin.ConsolidateAsync(Table(Department("34")));
        await admin.ConsolidateAsync(Table(Department("34"), Disclosure.Raw));

        var entries = await new AdminService.AdminServiceClient(server.CreateChannel())
            .ListAuditAsync(new ListAuditRequest { Action = "lecture.brute", KeyId = "testadmin000" });
        var raw = entries.Entries.Where(e => e.Target == "Department:34").ToList();
        Assert.Single(raw);
        Assert.Contains("Consolidate", raw[0].Detail);
    }

    [Fact]
    public async Task An_admin_imports_with_a_reception_date_and_the_import_is_audited()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var request = TestGrids.Submission(TestGrids.Valid(Foreign.Id, "2020-05"));
        request.ReceivedAt = Timestamp.FromDateTime(new DateTime(2020, 6, 30, 0, 0, 0, DateTimeKind.Utc));
        var stored = await grids.SubmitGridAsync(request);
        Assert.Equal(request.ReceivedAt, stored.ReceivedAt);

        var entry = await server.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.PostId == Foreign.Id && a.Target == $"{Foreign.Id} 2020-05 r1"));
        Assert.Equal("grille.import_historique", entry.Action);
        Assert.Equal("testadmin000", entry.KeyId);
    }

    [Fact]
    public async Task A_revision_is_audited_as_such_and_the_audit_log_refuses_changes()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel(await server.PostKeyAsync(Own.Id)));
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(Own.Id, "2020-09")));
        var corrected = TestGrids.Valid(Own.Id, "2020-09");
        corrected.Values["file_active_fin"] = 61;
        await grids.SubmitGridAsync(TestGrids.Submission(corrected));

        var log = await new AdminService.AdminServiceClient(server.CreateChannel()).ListAuditAsync(new ListAuditRequest { PostId = Own.Id, Action = "grille." });
        Assert.Contains(log.Entries, e => e.Action == "grille.depot" && e.Target == $"{Own.Id} 2020-09 r1");
        Assert.Contains(log.Entries, e => e.Action == "grille.revision" && e.Target == $"{Own.Id} 2020-09 r2");

        await Assert.ThrowsAnyAsync<Exception>(() => server.QueryAsync(db => db.AuditEntries.ExecuteDeleteAsync()));
        await Assert.ThrowsAnyAsync<Exception>(() => server.QueryAsync(db => db.AuditEntries.ExecuteUpdateAsync(s => s.SetProperty(a => a.KeyId, "personne"))));
    }
}
