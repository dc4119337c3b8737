using System.Text;
using Grpc.Core;
using Observatoire.Protos.V1;
using Observatoire.Tests.Shared;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Exports;

/// <summary>ReportService.ExportFigures through the real server: every exported figure is the published one, secrets stay secret.</summary>
public class ExportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task SubmitYearAsync(string year, params string[] departments)
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        foreach (var department in departments)
        {
            foreach (var post in TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == department).Take(2))
            {
                await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, year)));
            }
        }
    }

    private static Task<(byte[] Bytes, ReportSummary Summary)> ExportAsync(ReportService.ReportServiceClient client, ExportFiguresRequest request) =>
        ReportChunks.ReadAsync(client.ExportFigures(request));

    [Fact]
    public async Task A_departmental_sdmx_csv_export_is_every_published_figure_and_no_secret_value()
    {
        await SubmitYearAsync("2022", "33", "40", "64");
        var aggregates = new AggregateService.AggregateServiceClient(server.CreateChannel());
        var reports = new ReportService.ReportServiceClient(server.CreateChannel());

        var (bytes, summary) = await ExportAsync(reports, new ExportFiguresRequest { Level = AreaLevel.Department, Period = "2022", Format = ExportFormat.SdmxCsv });

        Assert.Equal("chiffres-departement-2022.sdmx.csv", summary.FileName);
        var header = SdmxReader.Rfc4180(Encoding.UTF8.GetString(bytes))[0];
        var dimensions = header.Skip(3).TakeWhile(h => h != "TIME_PERIOD").ToList();
        var read = SdmxReader.ReadCsv(Encoding.UTF8.GetString(bytes), dimensions);
        Assert.All(read, o => Assert.StartsWith("D", o.Key["TERRITOIRE"]));
        Assert.Equal(101, read.Select(o => o.Key["TERRITOIRE"]).Distinct().Count());
        Assert.All(read.Where(o => o.ConfStatus != "F"), o => Assert.Null(o.Value));
        Assert.Contains(read, o => o.ConfStatus is "C");

        // Each figure agrees with the published figures of the API (indicator totals of three departments).
        foreach (var code in new[] { "33", "40", "64" })
        {
            var published = await aggregates.ConsolidateAsync(new ConsolidateRequest { Area = new Area { Level = AreaLevel.Department, Code = code }, Period = "2022" });
            var totals = read.Where(o => o.Key["TERRITOIRE"] == "D" + code && dimensions.Skip(2).All(d => o.Key[d] is "_T" or "_Z")).ToList();
            foreach (var figure in published.Figures.Where(f => !f.Cell.Contains('[')))
            {
                var exported = Assert.Single(totals, o => o.Key["INDICATEUR"] == figure.Indicator.ToUpperInvariant());
                Assert.Equal(figure.HasValue ? figure.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, exported.Value);
                Assert.Equal(figure.Confidentiality switch { Confidentiality.Primary => "A", Confidentiality.Secondary => "D", Confidentiality.Suppressed => "C", _ => "F" }, exported.ConfStatus);
            }
        }
    }

    [Fact]
    public async Task A_regional_sdmx_json_export_reads_back_and_a_french_csv_opens_in_a_spreadsheet()
    {
        await SubmitYearAsync("2022", "31", "34");
        var reports = new ReportService.ReportServiceClient(server.CreateChannel());

        var (json, _) = await ExportAsync(reports, new ExportFiguresRequest { Level = AreaLevel.Region, Period = "2022", Format = ExportFormat.SdmxJson, Cells = { "personnes_nouvelles" } });
        var (csv, _) = await ExportAsync(reports, new ExportFiguresRequest { Level = AreaLevel.National, Period = "2022", Format = ExportFormat.Csv });

        var read = SdmxReader.ReadJson(Encoding.UTF8.GetString(json));
        Assert.Equal(18, read.Select(o => o.Key["TERRITOIRE"]).Distinct().Count());
        Assert.All(read, o => Assert.Equal("PERSONNES_NOUVELLES", o.Key["INDICATEUR"]));
        Assert.All(read.Where(o => o.ConfStatus != "F"), o => Assert.Null(o.Value));
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv[..3]);
        Assert.StartsWith("niveau;code;territoire;periode;", Encoding.UTF8.GetString(csv.AsSpan(3)));
    }

    [Fact]
    public async Task The_sdmx_structure_of_a_period_lists_every_area_of_the_hierarchy()
    {
        var reports = new ReportService.ReportServiceClient(server.CreateChannel(await server.ReportKeyAsync()));

        var (bytes, summary) = await ExportAsync(reports, new ExportFiguresRequest { Level = AreaLevel.National, Period = "2025", Format = ExportFormat.SdmxStructure });

        Assert.Equal("structure-sdmx-2025.1.json", summary.FileName);
        var data = System.Text.Json.JsonDocument.Parse(bytes).RootElement.GetProperty("data");
        var areas = data.GetProperty("codelists").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "CL_TERRITOIRE");
        Assert.Equal(1 + 18 + 101, areas.GetProperty("codes").GetArrayLength());
        Assert.Equal("DSD_ISCG", data.GetProperty("dataStructures")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Exports_refuse_posts_unknown_formats_and_areas_outside_the_callers_scope()
    {
        var admin = new ReportService.ReportServiceClient(server.CreateChannel());
        var analyst = new ReportService.ReportServiceClient(server.CreateChannel(await server.AnalystKeyAsync("region:76")));

        var post = await Assert.ThrowsAsync<RpcException>(() => ExportAsync(admin, new ExportFiguresRequest { Level = AreaLevel.Post, Period = "2022", Format = ExportFormat.Csv }));
        var format = await Assert.ThrowsAsync<RpcException>(() => ExportAsync(admin, new ExportFiguresRequest { Level = AreaLevel.National, Period = "2022", Format = (ExportFormat)42 }));
        var period = await Assert.ThrowsAsync<RpcException>(() => ExportAsync(admin, new ExportFiguresRequest { Level = AreaLevel.National, Period = "2022-13", Format = ExportFormat.Csv }));
        var scope = await Assert.ThrowsAsync<RpcException>(() => ExportAsync(analyst, new ExportFiguresRequest { Level = AreaLevel.Department, Period = "2022", Format = ExportFormat.Csv }));

        Assert.Equal(StatusCode.InvalidArgument, post.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, format.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, period.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, scope.StatusCode);
    }
}
