using Microsoft.Playwright;

namespace Observatoire.Web.Tests;

/// <summary>The administrator edits the posts registry from the pages, through the registry editor of the admin API.</summary>
[Collection(WebCollection.Name)]
public sealed class RegistryTests(WebServer web)
{
    // A department no other test reads, so that a new post changes nobody's expected figures.
    private const string PostId = "P-48-900";

    [Fact]
    public async Task An_admin_adds_corrects_moves_and_closes_a_post_with_errors_beside_the_fields_and_every_change_audited()
    {
        var admin = await web.SignInAsync(WebServer.Admin);
        await admin.GotoAsync("/admin/postes");
        await WebServer.AssertAccessibleAsync(admin);

        // The editor's own rule, beside the field, and what was typed is kept.
        await AddAsync(admin, fte: "3");
        await Assertions.Expect(admin.Locator("#etp-erreur")).ToHaveTextAsync("L'équivalent temps plein va de 0,01 à 2.");
        await Assertions.Expect(admin.GetByTestId("erreurs-poste")).ToContainTextAsync("L'équivalent temps plein");
        await Assertions.Expect(admin.Locator("#nom")).ToHaveValueAsync("ISCG essai des pages");
        await WebServer.AssertAccessibleAsync(admin);

        await AddAsync(admin, fte: "0,8");
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Le poste {PostId} est ajouté au registre.");
        await Assertions.Expect(admin.Locator($"tr[data-poste='{PostId}']")).ToContainTextAsync("0,8");

        await AddAsync(admin, fte: "1");
        await Assertions.Expect(admin.Locator("#identifiant-erreur")).ToContainTextAsync("existe déjà");

        // The list's filters.
        await admin.Locator("#recherche").FillAsync("essai des pages");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("postes").Locator("tbody tr")).ToHaveCountAsync(1);
        await WebServer.ScreenshotAsync(admin, "admin-postes");

        await admin.GetByRole(AriaRole.Link, new() { Name = $"{PostId} : fiche du poste" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = $"Poste {PostId}" })).ToBeVisibleAsync();
        await WebServer.AssertAccessibleAsync(admin);

        await admin.Locator("#nom").FillAsync("ISCG essai corrigé");
        await admin.Locator("#zone").SelectOptionAsync("gendarmerie");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la description" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("La description du poste est enregistrée.");
        await Assertions.Expect(admin.GetByTestId("fiche")).ToContainTextAsync("ISCG essai corrigé");
        await Assertions.Expect(admin.GetByTestId("fiche")).ToContainTextAsync("gendarmerie");

        // A move before the current assignment starts is refused beside its date.
        await admin.Locator("#departement").SelectOptionAsync("2A");
        await admin.Locator("#a-partir-du").FillAsync("2026-01-01");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Changer de département" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#a-partir-du-erreur")).ToContainTextAsync("le déplacement doit commencer après");
        await Assertions.Expect(admin.Locator("#departement")).ToHaveValueAsync("2A");
        await WebServer.AssertAccessibleAsync(admin);
        await WebServer.ScreenshotAsync(admin, "admin-poste", "#a-partir-du");

        await admin.Locator("#a-partir-du").FillAsync("2026-03-01");
        await admin.Locator("#motif-rattachement").FillAsync("nouvelle convention");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Changer de département" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("nouveau département");
        await Assertions.Expect(admin.GetByTestId("fiche")).ToContainTextAsync("2A — Corse-du-Sud");

        await admin.Locator("#fin").FillAsync("2025-12-31");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Fermer le poste" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#fin-erreur")).ToContainTextAsync("il ne peut pas fermer avant");

        await admin.Locator("#fin").FillAsync("2026-06-30");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Fermer le poste" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("La date de fermeture du poste est enregistrée.");
        await Assertions.Expect(admin.GetByTestId("fiche")).ToContainTextAsync("au 30/06/2026");
        await WebServer.AssertAccessibleAsync(admin);

        // Every change is in the audit log, as the admin API's are.
        await admin.GotoAsync($"/admin/journal?poste={PostId}&quoi=registre.");
        var journal = admin.GetByTestId("journal");
        await Assertions.Expect(journal.Locator("tbody tr")).ToHaveCountAsync(4);
        foreach (var action in new[] { "registre.ajout", "registre.modification", "registre.deplacement", "registre.desactivation" })
        {
            await Assertions.Expect(journal.Locator("tr", new() { HasText = action })).ToHaveCountAsync(1);
        }

        await Assertions.Expect(journal).ToContainTextAsync("48 → 2A au 2026-03-01. nouvelle convention");
    }

    private static async Task AddAsync(IPage page, string fte)
    {
        await page.Locator("#identifiant").FillAsync(PostId);
        await page.Locator("#nom").FillAsync("ISCG essai des pages");
        await page.Locator("#departement-poste").SelectOptionAsync("48");
        await page.Locator("#zone").SelectOptionAsync("mixte");
        await page.Locator("#etp").FillAsync(fte);
        await page.Locator("#frequence").SelectOptionAsync("mois");
        await page.Locator("#debut").FillAsync("2026-02-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter le poste" }).ClickAsync();
    }
}
