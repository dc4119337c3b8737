using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;
using Observatoire.Core.Schemas;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>
/// A Ministry grid deployed without a new release: a file in <c>Schemas:Directory</c>, read at start-up. Here a 2026.1
/// grid from January 2026 that adds an indicator, beside the embedded 2025.1 (the newer version is the one served for
/// the periods both cover, and either is accepted there, unless a file ends 2025.1).
/// </summary>
public sealed class SchemaFolderTests : IDisposable
{
    private const string NewIndicator = "mises_a_l_abri";
    private readonly string _folder = Directory.CreateTempSubdirectory("observatoire-grilles-").FullName;

    [Fact]
    public async Task A_grid_of_the_folder_is_served_validated_stored_and_consolidated_beside_the_embedded_one()
    {
        WriteNextGrid(_folder);
        using var server = new ServerFixture();
        server.Settings["Schemas:Directory"] = _folder;
        var channel = server.CreateChannel();
        var schemas = new SchemaService.SchemaServiceClient(channel);
        var grids = new GridService.GridServiceClient(channel);
        var aggregates = new AggregateService.AggregateServiceClient(channel);
        var post = TestGrids.MonthlyPost(3).Id;

        Assert.Equal(["2025.1", "2026.1"], (await schemas.ListSchemasAsync(new ListSchemasRequest())).Schemas.Select(s => s.Version));
        var served = await schemas.GetSchemaAsync(new GetSchemaRequest { Period = "2026-03" });
        Assert.Equal("2026.1", served.Version);
        Assert.Contains(served.Sections.SelectMany(s => s.Indicators), i => i.Code == NewIndicator);
        Assert.Equal("2025.1", (await schemas.GetSchemaAsync(new GetSchemaRequest { Period = "2025-12" })).Version);

        // A 2026 period is filed on the new grid. The old one still covers it (no file ends it here), so both are
        // accepted there; but the new grid cannot file a period before its first day.
        Assert.Equal(1, (await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(4).Id, "2026-03")))).Revision);
        Assert.Equal(1, (await grids.SubmitGridAsync(TestGrids.Submission(FiledOnNextGrid(post, "2026-03")))).Revision);
        var early = TestGrids.Valid(post, "2025-12");
        early.SchemaVersion = "2026.1";
        var refused = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(early)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("2025.1", refused.Status.Detail);
        Assert.Equal(1, (await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2025-12")))).Revision);

        // Figures of each period come from its own grid; a series across both versions adds the cells they share.
        var area = new Area { Level = AreaLevel.Post, Code = post };
        var figures = await aggregates.ConsolidateAsync(new ConsolidateRequest { Area = area, Period = "2026-03", Disclosure = Disclosure.Raw });
        Assert.Equal("2026.1", figures.SchemaVersion);
        Assert.Equal(4, figures.Figures.Single(f => f.Cell == NewIndicator).Value);
        var series = await aggregates.GetSeriesAsync(new GetSeriesRequest
        {
            Area = area,
            Cell = "entretiens",
            From = "2025-12",
            To = "2026-03",
            Granularity = Granularity.Month,
            Disclosure = Disclosure.Raw,
        });
        Assert.Equal([70L, 70L], series.Points.Where(p => p.HasValue).Select(p => p.Value));

        // Restarted without the file, the server cannot read those grids: it refuses to start, saying why.
        using var without = server.ColdStart();
        var refusal = Assert.ThrowsAny<Exception>(() => without.CreateClient());
        Assert.Contains("2026.1", refusal.Message);
        Assert.Contains("Schemas:Directory", refusal.Message);
    }

    [Fact]
    public async Task A_file_that_ends_the_embedded_grid_has_the_old_grid_refused_after_its_last_day()
    {
        WriteNextGrid(_folder);
        var ended = JsonNode.Parse(SchemaCatalog.EmbeddedFile("2025.1"))!;
        ended["valid_to"] = "2025-12-31";
        File.WriteAllText(Path.Combine(_folder, "grille-2025.1.json"), ended.ToJsonString());

        using var server = new ServerFixture();
        server.Settings["Schemas:Directory"] = _folder;
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var post = TestGrids.MonthlyPost(3).Id;

        var old = await Assert.ThrowsAsync<RpcException>(() => grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2026-03"))).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, old.StatusCode);
        var version = Assert.Single(old.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, f => f.Reason == "VERSION_SCHEMA");
        Assert.Contains("version attendue : 2026.1", version.Description);
        Assert.Equal(1, (await grids.SubmitGridAsync(TestGrids.Submission(FiledOnNextGrid(post, "2026-03")))).Revision);
        Assert.Equal(1, (await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2025-12")))).Revision);
    }

    [Fact]
    public void A_folder_that_cannot_serve_stops_the_server_at_start_naming_the_file()
    {
        File.WriteAllText(Path.Combine(_folder, "grille-2026.1.json"), "{ \"version\": \"2026.1\"");
        using var server = new ServerFixture();
        server.Settings["Schemas:Directory"] = _folder;

        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("Schemas:Directory", error.Message);
        Assert.Contains("grille-2026.1.json", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes the embedded grid, as version 2026.1 from January 2026 with one more indicator (data only), into the folder.</summary>
    internal static void WriteNextGrid(string folder) => File.WriteAllText(Path.Combine(folder, "grille-2026.1.json"), NextGrid().ToJsonString());

    /// <summary>A consistent grid on version 2026.1, its new indicator at 4.</summary>
    internal static Grid FiledOnNextGrid(string post, string period)
    {
        var grid = TestGrids.Valid(post, period);
        grid.SchemaVersion = "2026.1";
        grid.Values[NewIndicator] = 4;
        return grid;
    }

    private static JsonNode NextGrid()
    {
        var node = JsonNode.Parse(SchemaCatalog.EmbeddedFile("2025.1"))!;
        node["version"] = "2026.1";
        node["valid_from"] = "2026-01-01";
        node["indicators"]!.AsArray().Add(JsonNode.Parse("""
            { "code": "mises_a_l_abri", "section": "G", "label": "Mises à l'abri", "unit": "personnes", "aggregation": "SUM" }
            """));
        return node;
    }
}
