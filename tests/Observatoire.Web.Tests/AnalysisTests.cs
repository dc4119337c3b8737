using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;
using Observatoire.Core.Periods;

namespace Observatoire.Web.Tests;

/// <summary>An analyst's series, ranking and completeness, their downloads, and the drill-down nation → region → department → post.</summary>
[Collection(WebCollection.Name)]
public sealed class AnalysisTests(WebServer web)
{
    /// <summary>Months no other test of the collection files grids for.</summary>
    private static readonly Period Month = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow), PeriodKind.Month).Previous().Shift(-6);

    [Fact]
    public async Task An_analyst_sees_the_series_with_its_trend_and_the_late_posts_of_its_department_and_downloads_them()
    {
        foreach (var month in new[] { Month.Shift(-2), Month.Shift(-1), Month })
        {
            await web.SubmitOverGrpcAsync("P-01-001", month.ToString());
            await web.SubmitOverGrpcAsync("P-01-002", month.ToString());
        }

        var page = await web.SignInAsync(WebServer.Analyst);
        var query = $"?niveau=departement&code=01&indicateur=personnes_recues&periode={Month}";
        await page.GotoAsync("/analyse/territoire" + query);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Ain (01)");

        // Twelve months ending at the chosen one: the last three published (two posts of 40 each), with the trend.
        var series = page.GetByTestId("serie");
        await Assertions.Expect(series.Locator("tbody tr")).ToHaveCountAsync(12);
        await Assertions.Expect(series.Locator("tbody tr").Last).ToContainTextAsync("80");
        await Assertions.Expect(page.GetByTestId("tendance")).ToContainTextAsync("Tendance (moindres carrés sur 3 mois publiés) : 0 par mois");
        await Assertions.Expect(page.GetByTestId("graphique-serie")).ToHaveAttributeAsync("alt", new Regex("^Courbe de Personnes reçues par mois"));

        // Post figures are raw: the published ranking of a department's posts is refused, as GetSeries' sibling CompareAreas refuses it over gRPC.
        await Assertions.Expect(page.GetByTestId("classement-refus")).ToContainTextAsync("brut");

        // Completeness: the posts of the department that missed a month of the year, with the months.
        await Assertions.Expect(page.GetByTestId("retards")).ToContainTextAsync("P-01-001");
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "analyse-territoire");

        // Every table as CSV and XLSX, every chart as SVG and PNG: the page's own rows.
        var csv = await page.APIRequest.GetAsync("/analyse/tableau/serie.csv" + query);
        Assert.Equal(200, csv.Status);
        Assert.Contains($"{Month.Label};80;0;", await csv.TextAsync(), StringComparison.Ordinal);
        var xlsx = await page.APIRequest.GetAsync("/analyse/tableau/serie.xlsx" + query);
        Assert.Equal(200, xlsx.Status);
        using (var workbook = new XLWorkbook(new MemoryStream(await xlsx.BodyAsync())))
        {
            var sheet = workbook.Worksheet(1);
            var last = sheet.LastRowUsed().RowNumber();
            Assert.Equal(Month.Label, sheet.Cell(last, 1).GetString());
            Assert.Equal(80d, sheet.Cell(last, 2).GetDouble());
        }

        var svg = await page.APIRequest.GetAsync("/analyse/graphique/serie.svg" + query);
        Assert.Equal("image/svg+xml", svg.Headers["content-type"]);
        Assert.Contains("<svg", await svg.TextAsync(), StringComparison.Ordinal);
        var png = await page.APIRequest.GetAsync("/analyse/graphique/completude.png" + query);
        Assert.Equal("image/png", png.Headers["content-type"]);
        Assert.Equal(200, (await page.APIRequest.GetAsync("/analyse/tableau/completude.xlsx" + query)).Status);

        // Another region is out of scope, for the page and for its downloads.
        var refused = await page.GotoAsync($"/analyse/territoire?niveau=region&code=11&periode={Month}");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.GetByTestId("refus")).ToContainTextAsync("hors de votre périmètre");
        Assert.Equal(403, (await page.APIRequest.GetAsync($"/analyse/tableau/serie.csv?niveau=region&code=11&periode={Month}")).Status);
        Assert.Equal(403, (await page.APIRequest.GetAsync($"/analyse/graphique/classement.png?niveau=national&periode={Month}")).Status);

        // A department that does not exist: 404, and the page still says so (not an empty answer).
        var missing = await page.GotoAsync($"/analyse/territoire?niveau=departement&code=99&periode={Month}");
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(page.GetByTestId("refus")).ToContainTextAsync("n'existe pas");
        await WebServer.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task An_admin_drills_down_from_the_nation_to_a_post_by_the_ranking_links()
    {
        var month = Month.Shift(-12);
        await web.SubmitOverGrpcAsync("P-01-001", month.ToString());
        await web.SubmitOverGrpcAsync("P-01-002", month.ToString());

        var page = await web.SignInAsync(WebServer.Admin);
        await page.GotoAsync($"/analyse/territoire?niveau=national&indicateur=personnes_recues&periode={month}");
        var ranking = page.GetByTestId("classement");
        await Assertions.Expect(ranking).ToContainTextAsync("Auvergne-Rhône-Alpes (84)");
        await Assertions.Expect(ranking.Locator("thead")).ToContainTextAsync("Pour 100 000 hab.");
        await WebServer.AssertAccessibleAsync(page);

        await ranking.GetByRole(AriaRole.Link, new() { Name = "Auvergne-Rhône-Alpes (84)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Auvergne-Rhône-Alpes (84)");
        await page.GetByTestId("classement").GetByRole(AriaRole.Link, new() { Name = "Ain (01)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Ain (01)");

        // The administrator may read posts' raw figures (audited, as over gRPC): the department ranks its posts.
        var posts = page.GetByTestId("classement");
        await Assertions.Expect(posts).ToContainTextAsync("(P-01-002)");
        await posts.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("\\(P-01-001\\)$") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("(P-01-001)");
        await Assertions.Expect(page.GetByTestId("chiffres-cles")).ToContainTextAsync("40");
        await Assertions.Expect(page.Locator(".fr-breadcrumb")).ToContainTextAsync("Ain (01)");
        await WebServer.AssertAccessibleAsync(page);
    }
}
