using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Observatoire.Core.Periods;
using Observatoire.Tests.Shared;

namespace Observatoire.Web.Tests;

/// <summary>The journeys of the issue, in Chromium: a post files a grid, an analyst reads its department, an admin closes a period.</summary>
[Collection(WebCollection.Name)]
public sealed class JourneyTests(WebServer web)
{
    private static readonly Period LastMonth = Period.Containing(DateOnly.FromDateTime(DateTime.UtcNow), PeriodKind.Month).Previous();

    [Fact]
    public async Task A_post_fixes_the_mistake_the_form_shows_beside_the_table_then_sees_its_grid_in_its_history()
    {
        var page = await web.SignInAsync(WebServer.Post);
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "accueil");

        await page.GotoAsync("/poste");
        var row = page.Locator($"tr[data-periode='{LastMonth}']");
        await Assertions.Expect(row).ToContainTextAsync("manquante");
        await row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Saisir") }).ClickAsync();
        await page.WaitForURLAsync($"**/poste/P-01-001/{LastMonth}");
        await WebServer.AssertAccessibleAsync(page);

        // One mistake: the victims are typed one short, so the statuses no longer add up to the persons received.
        var values = ValidGridValues.Create();
        values["personnes_recues[statut=victime]"] -= 1;
        await FillAsync(page, values);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la grille" }).ClickAsync();

        var table = page.Locator("#t-personnes_recues-statut");
        await Assertions.Expect(table.Locator(".fr-error-text")).ToContainTextAsync("La somme des personnes reçues par statut (39)");
        await Assertions.Expect(page.Locator("#erreurs")).ToContainTextAsync("1 erreur");
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "grille-erreur", "#t-personnes_recues-statut");

        // Corrected and sent: the period is now sent, revision 1.
        await page.Locator("input[name='v:personnes_recues[statut=victime]']").FillAsync("28");
        await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la grille" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/poste");
        var sent = page.Locator($"tr[data-periode='{LastMonth}']");
        await Assertions.Expect(sent).ToContainTextAsync("envoyée");
        await Assertions.Expect(sent.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "historique-poste");
    }

    [Fact]
    public async Task An_analyst_of_one_department_sees_the_map_and_its_figures_and_is_refused_another_department()
    {
        var period = LastMonth.Shift(-1);
        await web.SubmitOverGrpcAsync("P-01-001", period.ToString());
        await web.SubmitOverGrpcAsync("P-01-002", period.ToString());
        await web.SubmitOverGrpcAsync("P-02-001", period.ToString());

        var page = await web.SignInAsync(WebServer.Analyst);
        await page.GotoAsync($"/analyse?periode={period}&indicateur=personnes_recues");
        await Assertions.Expect(page.GetByTestId("chiffres-cles")).ToContainTextAsync("Personnes reçues");
        await Assertions.Expect(page.GetByTestId("chiffres-cles")).ToContainTextAsync("80");

        // The map colours the analyst's department only, and says its value on keyboard focus.
        var ain = page.Locator("svg [data-code='01']");
        await Assertions.Expect(ain).ToHaveAttributeAsync("aria-label", new Regex("^Ain \\(01\\) : 80, soit"));
        await Assertions.Expect(page.Locator("svg [data-code='02'][tabindex]")).ToHaveCountAsync(0);
        await ain.FocusAsync();
        await Assertions.Expect(page.Locator(".obs-tooltip")).ToContainTextAsync("Ain (01)");
        await Assertions.Expect(page.GetByTestId("carte-donnees")).ToContainTextAsync("Ain (01)");
        await Assertions.Expect(page.GetByTestId("carte-donnees")).Not.ToContainTextAsync("Aisne");
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "analyse-carte", "[data-testid='carte']");

        // The map's data as CSV for French spreadsheets: the analyst's department only.
        var csv = await page.APIRequest.GetAsync($"/analyse/carte.csv?periode={period}&indicateur=personnes_recues");
        var text = await csv.TextAsync();
        Assert.Equal(200, csv.Status);
        Assert.Contains("01;Ain;80;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n02;", text, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Ain (01)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Ain (01)");
        await Assertions.Expect(page.GetByTestId("chiffres-cles")).ToContainTextAsync("80");
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "analyse-departement");

        var refused = await page.GotoAsync($"/analyse/departement/02?periode={period}");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.GetByTestId("refus")).ToContainTextAsync("hors de votre périmètre (departement:01)");
        await Assertions.Expect(page.GetByTestId("chiffres-cles")).ToHaveCountAsync(0);
        await WebServer.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task An_admin_closes_a_period_with_a_reason_and_the_post_is_then_refused_with_it()
    {
        var period = LastMonth.Shift(-2);
        var admin = await web.SignInAsync(WebServer.Admin);
        await admin.GotoAsync("/admin/campagnes");
        await admin.GetByLabel("Période").FillAsync(period.ToString());
        await admin.GetByLabel("Motif").FillAsync("Bilan régional arrêté");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Clore la période" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"La période {period} est close.");
        await Assertions.Expect(admin.GetByTestId("decisions")).ToContainTextAsync("Bilan régional arrêté");
        await Assertions.Expect(admin.GetByTestId("decisions")).ToContainTextAsync("compte:admin");
        await WebServer.AssertAccessibleAsync(admin);
        await WebServer.ScreenshotAsync(admin, "admin-campagnes");
        await admin.GotoAsync("/admin/postes?departement=01");
        await Assertions.Expect(admin.GetByTestId("postes")).ToContainTextAsync("P-01-001");
        await WebServer.AssertAccessibleAsync(admin);

        // The post's history says so, and a grid sent anyway is refused with the reason.
        var post = await web.SignInAsync(WebServer.Post);
        await post.GotoAsync("/poste");
        await Assertions.Expect(post.Locator($"tr[data-periode='{period}']")).ToContainTextAsync("Bilan régional arrêté");
        await post.GotoAsync($"/poste/P-01-001/{period}");
        await FillAsync(post, ValidGridValues.Create());
        await post.GetByRole(AriaRole.Button, new() { Name = "Envoyer la grille" }).ClickAsync();
        await Assertions.Expect(post.GetByRole(AriaRole.Alert)).ToContainTextAsync("Saisie close");
        await Assertions.Expect(post.GetByRole(AriaRole.Alert)).ToContainTextAsync("Bilan régional arrêté");
    }

    [Fact]
    public async Task A_grid_typed_but_not_sent_comes_back_from_the_browser_draft_after_the_tab_is_reopened()
    {
        var period = LastMonth.Shift(-3);
        var page = await web.SignInAsync(WebServer.Post);
        await page.GotoAsync($"/poste/P-01-001/{period}");
        await page.Locator("input[name='v:entretiens']").FillAsync("70");
        await page.Locator("input[name='v:entretiens[modalite=physique]']").FillAsync("45");
        await page.Locator("input[name='v:entretiens[modalite=telephonique]']").FillAsync("20");
        await Assertions.Expect(page.Locator("#t-entretiens-modalite [data-sum-col='0']")).ToHaveTextAsync("65");

        var reopened = await page.Context.NewPageAsync();
        await page.CloseAsync();
        await reopened.GotoAsync($"/poste/P-01-001/{period}");

        await Assertions.Expect(reopened.Locator("[data-draft-notice]")).ToBeVisibleAsync();
        await Assertions.Expect(reopened.Locator("input[name='v:entretiens']")).ToHaveValueAsync("70");
        await Assertions.Expect(reopened.Locator("#t-entretiens-modalite [data-sum-col='0']")).ToHaveTextAsync("65");
    }

    [Fact]
    public async Task Pages_need_an_account_and_a_wrong_password_is_refused()
    {
        var context = await web.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = web.Server.WebAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/analyse");
        Assert.Equal("/connexion", new Uri(page.Url).AbsolutePath);
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "connexion");

        await page.GetByLabel("Identifiant").FillAsync(WebServer.Analyst.User);
        await page.GetByLabel("Mot de passe").FillAsync("pas-le-bon-mot-de-passe");
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Identifiant ou mot de passe incorrect.");

        // A post account is refused the administrator's pages.
        var post = await web.SignInAsync(WebServer.Post);
        var refused = await post.GotoAsync("/admin/campagnes");
        Assert.Equal("/acces-refuse", new Uri(post.Url).AbsolutePath);
        Assert.Equal(403, refused!.Status);

        // The map's downloads are refused to a post as the map page is, not answered with headers only.
        foreach (var download in new[] { "/analyse/carte.csv", "/analyse/tableau/carte.xlsx" })
        {
            var map = await post.APIRequest.GetAsync(download);
            Assert.True(map.Status == 403, $"{download}: {map.Status} {await map.TextAsync()}");
        }

        // An address nothing serves is the site's "page introuvable", in its layout, the account still signed in.
        var unknown = await post.GotoAsync("/poste/adresse-inconnue");
        Assert.Equal(404, unknown!.Status);
        await Assertions.Expect(post.GetByRole(AriaRole.Heading, new() { Name = "Page introuvable", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(post.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await WebServer.AssertAccessibleAsync(post);
        await WebServer.ScreenshotAsync(post, "page-introuvable");

        // Signing out from the header ends the session: the pages ask for an account again.
        await post.GotoAsync("/");
        await post.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await post.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/connexion");
        await post.GotoAsync("/poste");
        Assert.Equal("/connexion", new Uri(post.Url).AbsolutePath);
    }

    private static async Task FillAsync(IPage page, IReadOnlyDictionary<string, long> values)
    {
        foreach (var (key, value) in values)
        {
            await page.Locator($"input[name='v:{key}']").FillAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
