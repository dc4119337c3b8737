using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.Playwright;
using Observatoire.Protos.V1;
using UglyToad.PdfPig;

namespace Observatoire.Web.Tests;

/// <summary>The annual report from the pages: the report service's decision and document, as a browser download.</summary>
[Collection(WebCollection.Name)]
public sealed class ReportTests(WebServer web)
{
    private static readonly int Year = DateTime.UtcNow.Year - 1;

    [Fact]
    public async Task An_analyst_downloads_its_departments_annual_report_as_the_report_service_renders_it_and_is_refused_another()
    {
        var page = await web.SignInAsync(WebServer.Analyst);
        await page.GetByRole(AriaRole.Link, new() { Name = "Rapport annuel" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rapport annuel", Level = 1 })).ToBeVisibleAsync();
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "rapport-annuel");

        // Only what the report's decision allows this analyst: its department, not the national report.
        Assert.Equal(["01 — Ain"], await page.Locator("#territoire option").AllInnerTextsAsync());
        await page.Locator("#annee").FillAsync(Year.ToString(CultureInfo.InvariantCulture));
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Télécharger le rapport (PDF)" }).ClickAsync());
        Assert.Equal($"rapport-{Year}-01.pdf", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));

        // The same document as gRPC's GenerateAnnualReport.
        var (grpcPages, grpcName) = await ReportOverGrpcAsync(Year, "01");
        using (var pdf = PdfDocument.Open(bytes))
        {
            Assert.Equal(grpcPages, pdf.NumberOfPages);
            Assert.Contains("Ain", pdf.GetPage(1).Text, StringComparison.Ordinal);
        }

        Assert.Equal(grpcName, download.SuggestedFilename);

        // Another department: refused, and the page says why beside the field.
        var refused = await page.GotoAsync($"/rapports/annuel.pdf?annee={Year}&departement=02");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.Locator("#territoire-erreur")).ToContainTextAsync("hors de votre périmètre");
        await Assertions.Expect(page.GetByTestId("erreur-rapport")).ToContainTextAsync("hors de votre périmètre");
        await WebServer.AssertAccessibleAsync(page);

        // A year the service refuses, said beside the year.
        var future = await page.GotoAsync($"/rapports/annuel.pdf?annee={DateTime.UtcNow.Year + 1}&departement=01");
        Assert.Equal(400, future!.Status);
        await Assertions.Expect(page.Locator("#annee-erreur")).ToContainTextAsync("est invalide");
    }

    [Fact]
    public async Task The_report_download_answers_a_pdf_attachment_and_a_post_is_refused_the_report()
    {
        var admin = await web.SignInAsync(WebServer.Admin);
        await admin.GotoAsync("/rapports");
        Assert.Contains("France entière (rapport national)", await admin.Locator("#territoire option").AllInnerTextsAsync());
        var response = await admin.APIRequest.GetAsync($"/rapports/annuel.pdf?annee={Year}&departement=2a");
        Assert.Equal(200, response.Status);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        Assert.StartsWith("attachment", response.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Contains($"rapport-{Year}-2A.pdf", response.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(await response.BodyAsync(), 0, 5));

        var post = await web.SignInAsync(WebServer.Post);
        await Assertions.Expect(post.GetByRole(AriaRole.Link, new() { Name = "Rapport annuel" })).ToHaveCountAsync(0);
        var page = await post.GotoAsync("/rapports");
        Assert.Equal(403, page!.Status);
        await Assertions.Expect(post.GetByRole(AriaRole.Alert)).ToContainTextAsync("production des rapports");
        var file = await post.APIRequest.GetAsync($"/rapports/annuel.pdf?annee={Year}&departement=01", new() { MaxRedirects = 0 });
        Assert.Equal(302, file.Status);
    }

    [Fact]
    public async Task An_editions_national_report_downloaded_from_the_page_has_the_checksum_recorded_at_its_publication()
    {
        // An edition of the year, then a late grid: the edition's figures must not move.
        using (var channel = web.Server.CreateChannel())
        {
            await new EditionService.EditionServiceClient(channel).PublishEditionAsync(new PublishEditionRequest { Year = Year, Edition = "web-edition" });
        }

        await web.SubmitOverGrpcAsync("P-02-001", $"{Year}-11");

        var admin = await web.SignInAsync(WebServer.Admin);
        await admin.GotoAsync("/rapports");
        var row = admin.Locator("[data-testid=editions] tr[data-edition=web-edition]");
        await Assertions.Expect(row).ToContainTextAsync(Year.ToString(CultureInfo.InvariantCulture));
        var recorded = (await row.GetByTestId("empreinte").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9a-f]{64}$", recorded);
        Assert.Contains("Édition web-edition", string.Join("|", await admin.Locator("#edition option").AllInnerTextsAsync()), StringComparison.Ordinal);
        await WebServer.AssertAccessibleAsync(admin);
        await WebServer.ScreenshotAsync(admin, "rapport-editions", "[data-testid=editions]");

        // Regenerated from the page: the very bytes the edition recorded.
        var download = await admin.RunAndWaitForDownloadAsync(() =>
            row.GetByRole(AriaRole.Link, new() { Name = "Rapport national de l'édition web-edition (PDF)" }).ClickAsync());
        Assert.Equal($"rapport-annuel-{Year}.pdf", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal(recorded, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));

        // Its figures on the analysis page, as of its cut-off.
        await row.GetByRole(AriaRole.Link, new() { Name = "Chiffres de l'édition web-edition" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("arrete-au")).ToContainTextAsync("Données arrêtées au");

        // Another year's report with this edition, or an edition that does not exist: refused beside the field.
        var otherYear = await admin.GotoAsync($"/rapports/annuel.pdf?annee={Year - 1}&departement=01&edition=web-edition");
        Assert.Equal(400, otherYear!.Status);
        await Assertions.Expect(admin.Locator("#edition-erreur")).ToContainTextAsync($"porte sur l'année {Year}");
        await WebServer.AssertAccessibleAsync(admin);
        var unknown = await admin.GotoAsync($"/rapports/annuel.pdf?annee={Year}&departement=01&edition=nulle-part");
        Assert.Equal(404, unknown!.Status);
        await Assertions.Expect(admin.Locator("#edition-erreur")).ToContainTextAsync("n'existe pas");
    }

    private async Task<(int Pages, string FileName)> ReportOverGrpcAsync(int year, string department)
    {
        using var channel = web.Server.CreateChannel();
        var call = new ReportService.ReportServiceClient(channel).GenerateAnnualReport(new GenerateAnnualReportRequest { Year = year, DepartmentCode = department });
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            if (chunk.Summary is { } summary)
            {
                return (summary.Pages, summary.FileName);
            }
        }

        throw new InvalidOperationException("Pas de récapitulatif.");
    }
}
