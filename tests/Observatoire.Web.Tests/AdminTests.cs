using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Observatoire.Web.Tests;

/// <summary>The administrator's accounts, API keys and audit log.</summary>
[Collection(WebCollection.Name)]
public sealed class AdminTests(WebServer web)
{
    [Fact]
    public async Task An_admin_creates_an_account_sees_it_locked_after_failed_sign_ins_unlocks_it_and_resets_its_password()
    {
        const string user = "analyste-essai";
        var admin = await web.SignInAsync(WebServer.Admin);
        await admin.GotoAsync("/admin/comptes");
        await WebServer.AssertAccessibleAsync(admin);

        // Identity's rule, said in French.
        await FillAccountAsync(admin, user, "court");
        await Assertions.Expect(admin.GetByTestId("erreurs-compte")).ToContainTextAsync("Le mot de passe doit comporter au moins 12 caractères.");

        // The scope is checked as a key's is.
        await FillAccountAsync(admin, user, "Analyste-essai-2026!", scope: "departement:999");
        await Assertions.Expect(admin.GetByTestId("erreurs-compte")).ToContainTextAsync("Périmètre « departement:999 » invalide");

        await FillAccountAsync(admin, user, "Analyste-essai-2026!");
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Le compte « {user} » est créé.");
        await Assertions.Expect(admin.Locator($"tr[data-compte='{user}']")).ToContainTextAsync("departement:01");

        // Five wrong passwords lock the account.
        var context = await web.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = web.Server.WebAddress.ToString() });
        var stranger = await context.NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await stranger.GotoAsync("/connexion");
            await stranger.GetByLabel("Identifiant").FillAsync(user);
            await stranger.GetByLabel("Mot de passe").FillAsync("mauvais-mot-de-passe");
            await stranger.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
            await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }

        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("verrouillé");
        await admin.GotoAsync("/admin/comptes");
        var row = admin.Locator($"tr[data-compte='{user}']");
        await Assertions.Expect(row).ToContainTextAsync("verrouillé");
        await WebServer.AssertAccessibleAsync(admin);
        await WebServer.ScreenshotAsync(admin, "admin-comptes");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Déverrouiller {user}" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Le compte « {user} » est déverrouillé.");
        await Assertions.Expect(admin.Locator($"tr[data-compte='{user}']")).ToContainTextAsync("actif");
        await web.SignInAsync((user, "Analyste-essai-2026!"));

        // A new password chosen by the admin: the new one signs in.
        await admin.GetByLabel($"Nouveau mot de passe pour {user}").FillAsync("Nouveau-essai-2026!");
        await admin.Locator($"tr[data-compte='{user}']").GetByRole(AriaRole.Button, new() { Name = $"Réinitialiser le mot de passe de {user}" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("est réinitialisé");
        var signedIn = await web.SignInAsync((user, "Nouveau-essai-2026!"));
        await Assertions.Expect(signedIn.GetByTestId("compte")).ToContainTextAsync(user);
    }

    [Fact]
    public async Task An_admin_creates_and_revokes_a_key_and_finds_both_in_the_audit_log_by_its_filters()
    {
        var admin = await web.SignInAsync(WebServer.Admin);
        await admin.GotoAsync("/admin/cles");
        await admin.Locator("#libelle").FillAsync("tablette du poste");
        await admin.Locator("#cle-role").SelectOptionAsync("poste");
        await admin.Locator("#cle-postes").FillAsync("P-01-001");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Créer la clé" }).ClickAsync();
        var created = admin.GetByTestId("cle-creee");
        await Assertions.Expect(created).ToContainTextAsync("obs_");
        var id = Regex.Match(await created.Locator("h2").InnerTextAsync(), "Clé (\\S+) créée").Groups[1].Value;
        await Assertions.Expect(admin.Locator($"tr[data-cle='{id}']")).ToContainTextAsync("P-01-001");
        await WebServer.AssertAccessibleAsync(admin);
        await WebServer.ScreenshotAsync(admin, "admin-cles");

        await admin.GetByRole(AriaRole.Button, new() { Name = $"Révoquer la clé {id}" }).ClickAsync();
        await Assertions.Expect(admin.Locator($"tr[data-cle='{id}']")).ToContainTextAsync("révoquée");

        await admin.GotoAsync("/admin/journal");
        await admin.Locator("#qui").FillAsync("compte:admin");
        await admin.Locator("#quoi").SelectOptionAsync("cle.");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        var journal = admin.GetByTestId("journal");
        await Assertions.Expect(journal.Locator("tr", new() { HasText = id })).ToHaveCountAsync(2);
        await Assertions.Expect(journal).ToContainTextAsync("cle.creation");
        await Assertions.Expect(journal).ToContainTextAsync("cle.revocation");
        await Assertions.Expect(journal).Not.ToContainTextAsync("campagne.");
        await WebServer.AssertAccessibleAsync(admin);
        await WebServer.ScreenshotAsync(admin, "admin-journal");

        await admin.Locator("#quoi").SelectOptionAsync("cle.revocation");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("journal")).Not.ToContainTextAsync("cle.creation");
        await Assertions.Expect(admin.GetByTestId("journal").Locator("tr", new() { HasText = id })).ToHaveCountAsync(1);
    }

    private static async Task FillAccountAsync(IPage page, string user, string password, string scope = "departement:01")
    {
        await page.Locator("#identifiant").FillAsync(user);
        await page.GetByLabel("Mot de passe initial").FillAsync(password);
        await page.Locator("#compte-role").SelectOptionAsync("analyste");
        await page.Locator("#compte-perimetre").FillAsync(scope);
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer le compte" }).ClickAsync();
    }
}
