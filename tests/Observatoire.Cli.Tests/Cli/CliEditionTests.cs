using System.Security.Cryptography;
using Google.Protobuf;
using Observatoire.Cli;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using ReportingFrequency = Observatoire.Core.Registry.ReportingFrequency;

namespace Observatoire.Server.Tests.Cli;

/// <summary>publish, editions, compare-edition and --as-of / --edition on the reads, against the real server.</summary>
public class CliEditionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Year = "2020";

    private async Task<string> SubmitYearAsync(string department)
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var posts = TestGrids.OpenPosts(ReportingFrequency.Month).Where(p => p.DepartmentCode == department).ToList();
        foreach (var post in posts)
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, Year)));
        }

        return posts[0].Id;
    }

    private static long Entretiens(CliRun run) =>
        JsonParser.Default.Parse<ConsolidateResponse>(run.Output).Figures.Single(f => f.Cell == "entretiens").Value;

    [Fact]
    public async Task An_edition_published_from_the_command_line_gives_back_its_report_and_figures_after_a_late_revision()
    {
        var post = await SubmitYearAsync("33");
        using var folder = CliHarness.TempFolder();

        var published = await CliHarness.RunAsync(server, "publish", "--year", Year, "--edition", "2026-03");
        Assert.True(published.ExitCode == ExitCodes.Success, published.ToString());
        Assert.Contains("Édition 2026-03 publiée", published.Output);
        var edition = (await new EditionService.EditionServiceClient(server.CreateChannel()).ListEditionsAsync(new ListEditionsRequest())).Editions.Single();
        var reportSha = edition.Files.Single(f => f.FileName == $"rapport-annuel-{Year}.pdf").Sha256;
        Assert.Contains(reportSha, published.Output);

        // A late revision: +30 interviews for one post.
        var late = TestGrids.Valid(post, Year);
        late.Values["entretiens"] += 30;
        late.Values["entretiens[modalite=telephonique]"] += 30;
        await new GridService.GridServiceClient(server.CreateChannel()).SubmitGridAsync(TestGrids.Submission(late));

        var query = new[] { "query", "--level", "national", "--period", Year, "--cells", "entretiens", "--format", "json" };
        var today = await CliHarness.RunAsync(server, query);
        var atEdition = await CliHarness.RunAsync(server, [.. query, "--edition", "2026-03"]);
        var cutOff = edition.CutOff.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var asOf = await CliHarness.RunAsync(server, [.. query, "--as-of", cutOff]);
        Assert.True(atEdition.ExitCode == ExitCodes.Success, atEdition.ToString());
        Assert.Equal(30, Entretiens(today) - Entretiens(atEdition));
        Assert.Equal(Entretiens(atEdition), Entretiens(asOf));

        // The report of the edition, regenerated: the checksum stored when it was published.
        var path = folder.File("edition.pdf");
        var report = await CliHarness.RunAsync(server, "report", "--year", Year, "--edition", "2026-03", "-o", path);
        Assert.True(report.ExitCode == ExitCodes.Success, report.ToString());
        Assert.Equal(reportSha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));

        // So does an export of the year: the departments in SDMX-CSV, as stored with the edition.
        var exportPath = folder.File("departements.sdmx.csv");
        var export = await CliHarness.RunAsync(server, "export", "--format", "sdmx-csv", "--level", "departement", "--period", Year, "--edition", "2026-03", "-o", exportPath);
        Assert.True(export.ExitCode == ExitCodes.Success, export.ToString());
        Assert.Equal(
            edition.Files.Single(f => f.FileName == $"chiffres-departement-{Year}.sdmx.csv").Sha256,
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(exportPath))));

        // Its workbook is dated at the edition's cut-off, not at the conversion.
        var workbookPath = folder.File("departements.xlsx");
        var workbook = await CliHarness.RunAsync(server, "export", "--format", "xlsx", "--level", "departement", "--period", Year, "--edition", "2026-03", "-o", workbookPath);
        Assert.True(workbook.ExitCode == ExitCodes.Success, workbook.ToString());
        using (var xlsx = new ClosedXML.Excel.XLWorkbook(workbookPath))
        {
            var readMe = xlsx.Worksheet("Lisez-moi").RowsUsed().ToDictionary(row => row.Cell(1).GetString(), row => row.Cell(2).GetString());
            Assert.Equal(edition.CutOff.ToDateTime().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture), readMe["Date"]);
        }

        // What was revised since, by how much.
        var revised = await CliHarness.RunAsync(server, "compare-edition", "--edition", "2026-03", "--cells", "entretiens", "--format", "csv", "--separator", ",");
        Assert.True(revised.ExitCode == ExitCodes.Success, revised.ToString());
        Assert.Contains(revised.Lines, l => l.StartsWith("national,,", StringComparison.Ordinal) && l.Contains(",entretiens,", StringComparison.Ordinal) && l.Contains(",30,", StringComparison.Ordinal));
        var text = await CliHarness.RunAsync(server, "compare-edition", "--edition", "2026-03", "--level", "departement", "--cells", "entretiens");
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("Gironde", text.Output);
        Assert.Contains("+30", text.Output);

        var listed = await CliHarness.RunAsync(server, "editions");
        Assert.Contains("2026-03", listed.Output);
        Assert.Contains(reportSha, listed.Output);
    }

    [Fact]
    public async Task Completeness_and_outliers_read_as_of_an_instant_from_the_command_line()
    {
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        var post = TestGrids.MonthlyPost(8).Id;
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2021-01")));
        var first = await server.QueryAsync(db => Task.FromResult(db.GridRevisions.Where(g => g.PostId == post).Max(g => g.ReceivedAtUtc)));
        await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post, "2021-02")));
        var instant = first.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var completeness = new[] { "completeness", "--level", "poste", "--code", post, "--period", "2021-T1", "--format", "json" };

        var today = await CliHarness.RunAsync(server, completeness);
        var then = await CliHarness.RunAsync(server, [.. completeness, "--as-of", instant]);
        var text = await CliHarness.RunAsync(server, "completeness", "--level", "poste", "--code", post, "--period", "2021-T1", "--as-of", instant);
        var outliers = await CliHarness.RunAsync(server, "outliers", "--level", "poste", "--code", post, "--as-of", instant);
        var future = await CliHarness.RunAsync(server, "outliers", "--level", "national", "--as-of", "2999-01-01T00:00:00Z");
        var unknown = await CliHarness.RunAsync(server, "completeness", "--period", "2021", "--edition", "inconnue");

        Assert.True(then.ExitCode == ExitCodes.Success, then.ToString());
        Assert.Equal(2, JsonParser.Default.Parse<GetCompletenessResponse>(today.Output).Counts.Received);
        Assert.Equal(1, JsonParser.Default.Parse<GetCompletenessResponse>(then.Output).Counts.Received);
        Assert.True(text.ExitCode == ExitCodes.Success, text.ToString());
        Assert.Contains("telle qu'elle était le", text.Output);
        Assert.True(outliers.ExitCode == ExitCodes.Success, outliers.ToString());
        Assert.Contains("grilles telles qu'elles étaient le", outliers.Output);
        Assert.Equal(ExitCodes.Rejected, future.ExitCode);
        Assert.Contains("DATE_FUTURE", future.Error);
        Assert.Equal(ExitCodes.Rejected, unknown.ExitCode);
        Assert.Contains("L'édition « inconnue » n'existe pas", unknown.Error);
    }

    [Fact]
    public async Task An_unknown_edition_or_both_options_are_refused()
    {
        var unknown = await CliHarness.RunAsync(server, "query", "--period", Year, "--edition", "inconnue");
        Assert.Equal(ExitCodes.Rejected, unknown.ExitCode);
        Assert.Contains("L'édition « inconnue » n'existe pas", unknown.Error);

        var both = await CliHarness.RunAsync(server, "query", "--period", Year, "--edition", "x", "--as-of", "2026-03-31T12:00:00Z");
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        var unreadable = await CliHarness.RunAsync(server, "export", "--format", "csv", "--level", "national", "--period", Year, "--as-of", "hier");
        Assert.Equal(ExitCodes.Usage, unreadable.ExitCode);

        var future = await CliHarness.RunAsync(server, "series", "--cell", "entretiens", "--from", "2020-01", "--to", "2020-03", "--as-of", "2999-01-01T00:00:00Z");
        Assert.Equal(ExitCodes.Rejected, future.ExitCode);
        Assert.Contains("DATE_FUTURE", future.Error);

        var analyst = await server.AnalystKeyAsync("national");
        var denied = await CliHarness.RunWithKeyAsync(server, analyst, "publish", "--year", Year, "--edition", "x");
        Assert.Equal(ExitCodes.Rejected, denied.ExitCode);
    }
}
