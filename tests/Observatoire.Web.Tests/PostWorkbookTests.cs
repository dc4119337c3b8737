using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.Playwright;
using Observatoire.Workbooks;

namespace Observatoire.Web.Tests;

/// <summary>A post sends its filled workbook from its page and downloads its own bilan d'activité, never another post's.</summary>
[Collection(WebCollection.Name)]
public sealed class PostWorkbookTests(WebServer web)
{
    private const string VictimCell = "personnes_recues[statut=victime]";

    [Fact]
    public async Task A_post_uploads_its_workbook_sees_the_mistake_at_its_sheet_and_cell_then_sends_the_corrected_one()
    {
        var sample = Path.Combine(WebServer.RepositoryRoot, "examples", "classeurs", "grille-2025-P-01-001-exemple.xlsx");
        var march = WorkbookReader.Read(sample).Grids.Single();
        var place = march.Cells.Locate(VictimCell)!;
        var wrong = Path.Combine(Path.GetTempPath(), $"classeur-faux-{Guid.NewGuid():N}.xlsx");
        using (var workbook = new XLWorkbook(sample))
        {
            // One mistake in a copy: the victims typed one short, so the statuses no longer add up to the persons received.
            workbook.Worksheet(march.Sheet).Cell(place[(place.IndexOf('!') + 1)..]).Value = march.Values[VictimCell] - 1;
            workbook.SaveAs(wrong);
        }

        var page = await web.SignInAsync(WebServer.Post);
        await page.GotoAsync("/poste");
        await page.GetByRole(AriaRole.Link, new() { Name = "Déposer un classeur rempli (.xlsx)" }).First.ClickAsync();
        await page.WaitForURLAsync("**/poste/classeur");
        await WebServer.AssertAccessibleAsync(page);

        await page.GetByLabel("Classeur (.xlsx)").SetInputFilesAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier sans envoyer" }).ClickAsync();
        var sheet = page.Locator("[data-feuille='Mars']");
        await Assertions.Expect(sheet).ToContainTextAsync("1 erreur");
        await Assertions.Expect(sheet).ToContainTextAsync("'Mars'!");
        await Assertions.Expect(sheet).ToContainTextAsync("La somme des personnes reçues par statut (41)");
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "classeur-erreur", "#resultat");

        await page.GetByLabel("Classeur (.xlsx)").SetInputFilesAsync(sample);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer les grilles du classeur" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-feuille='Mars']")).ToContainTextAsync("enregistrée");
        await Assertions.Expect(page.Locator("[data-feuille='Mars']")).ToContainTextAsync(new Regex("Révision [0-9]+"));

        var first = Revision(await page.Locator("[data-feuille='Mars']").InnerTextAsync());

        // The same workbook sent again is the current revision: no new one.
        await page.GetByLabel("Classeur (.xlsx)").SetInputFilesAsync(sample);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer les grilles du classeur" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-feuille='Mars']")).ToContainTextAsync("déjà enregistrée");
        await Assertions.Expect(page.Locator("[data-feuille='Mars']")).ToContainTextAsync($"Révision {first} ");

        // Corrected since (here by another workbook, a new comment), then sent again: the first content is current again.
        var corrected = Path.Combine(Path.GetTempPath(), $"classeur-corrige-{Guid.NewGuid():N}.xlsx");
        using (var workbook = new XLWorkbook(sample))
        {
            var comment = march.Cells.Locate("comment")!;
            workbook.Worksheet(march.Sheet).Cell(comment[(comment.IndexOf('!') + 1)..]).Value = "Commentaire corrigé.";
            workbook.SaveAs(corrected);
        }

        await page.GetByLabel("Classeur (.xlsx)").SetInputFilesAsync(corrected);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer les grilles du classeur" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-feuille='Mars']")).ToContainTextAsync($"Révision {first + 1}.");
        await page.GetByLabel("Classeur (.xlsx)").SetInputFilesAsync(sample);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer les grilles du classeur" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-feuille='Mars']")).ToContainTextAsync($"Révision {first + 2}.");
        Assert.DoesNotContain("déjà", await page.Locator("[data-feuille='Mars']").InnerTextAsync(), StringComparison.Ordinal);
        File.Delete(wrong);
        File.Delete(corrected);
    }

    private static int Revision(string sheetText) => int.Parse(Regex.Match(sheetText, "Révision ([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_file_that_is_not_a_workbook_is_refused_with_a_french_message()
    {
        var page = await web.SignInAsync(WebServer.Post);
        await page.GotoAsync("/poste/classeur");
        await page.GetByLabel("Classeur (.xlsx)").SetInputFilesAsync(new FilePayload { Name = "grille.xlsx", MimeType = "application/octet-stream", Buffer = "pas un classeur"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier sans envoyer" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("problemes-classeur")).ToContainTextAsync("ce fichier n'est pas un classeur Excel (.xlsx).");
    }

    [Fact]
    public async Task A_file_larger_than_the_server_takes_is_refused_by_its_size()
    {
        var page = await web.SignInAsync(WebServer.Post);
        await page.GotoAsync("/poste/classeur");

        // Over Kestrel's 30 MB body limit: the form cannot be read, so neither can its antiforgery token.
        var answer = await page.APIRequest.PostAsync("/poste/classeur", new()
        {
            Multipart = page.APIRequest.CreateFormData().Set("classeur", new FilePayload { Name = "enorme.xlsx", MimeType = "application/octet-stream", Buffer = new byte[31 * 1024 * 1024] }),
        });

        Assert.Equal(413, answer.Status);
        Assert.Contains("trop volumineux", System.Net.WebUtility.HtmlDecode(await answer.TextAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_downloads_its_own_bilan_and_is_refused_another_posts()
    {
        var year = DateTime.UtcNow.Year - 1;
        var page = await web.SignInAsync(WebServer.Post);
        await page.GotoAsync("/poste");
        var link = page.GetByRole(AriaRole.Link, new() { Name = $"Bilan d'activité {year} (PDF) du poste P-01-001" });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", $"/poste/P-01-001/bilan/{year}");

        var own = await page.APIRequest.GetAsync($"/poste/P-01-001/bilan/{year}");
        Assert.Equal(200, own.Status);
        Assert.Equal("application/pdf", own.Headers["content-type"]);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await own.BodyAsync())[..4]), StringComparison.Ordinal);

        var other = await page.APIRequest.GetAsync($"/poste/P-02-001/bilan/{year}");
        Assert.Equal(403, other.Status);
        var missing = await page.APIRequest.GetAsync($"/poste/P-01-001/bilan/1999");
        Assert.Equal(400, missing.Status);
        Assert.Contains("L'année 1999 est invalide", await missing.TextAsync(), StringComparison.Ordinal);
    }
}
