using Microsoft.Playwright;

namespace Observatoire.Web.Tests;

/// <summary>A signed-in account changes its own password.</summary>
[Collection(WebCollection.Name)]
public sealed class AccountPasswordTests(WebServer web)
{
    [Fact]
    public async Task An_account_changes_its_own_password_with_errors_beside_the_fields_and_its_other_sessions_end()
    {
        // An account of its own: the demonstration accounts keep the passwords the README names.
        const string user = "rapport-essai";
        const string first = "Rapport-essai-2026!";
        const string second = "Rapport-change-2026?";
        var admin = await web.SignInAsync(WebServer.Admin);
        await admin.GotoAsync("/admin/comptes");
        await admin.Locator("#identifiant").FillAsync(user);
        await admin.GetByLabel("Mot de passe initial").FillAsync(first);
        await admin.Locator("#compte-role").SelectOptionAsync("rapport");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Créer le compte" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Le compte « {user} » est créé.");

        var page = await web.SignInAsync((user, first));
        var elsewhere = await web.SignInAsync((user, first));
        await page.GetByRole(AriaRole.Link, new() { Name = "Changer mon mot de passe" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Changer mon mot de passe" })).ToBeVisibleAsync();
        await WebServer.AssertAccessibleAsync(page);

        // A wrong current password, a confirmation that differs, then Identity's own rule in French: each beside its field.
        await ChangeAsync(page, "Pas-le-bon-2026!", second, second);
        await Assertions.Expect(page.Locator("#actuel-erreur")).ToHaveTextAsync("Le mot de passe actuel est incorrect.");
        await Assertions.Expect(page.Locator("#actuel")).ToHaveAttributeAsync("aria-describedby", "actuel-erreur");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Le mot de passe n'a pas été changé");
        await WebServer.AssertAccessibleAsync(page);
        await WebServer.ScreenshotAsync(page, "compte-mot-de-passe");

        await ChangeAsync(page, first, second, second + "x");
        await Assertions.Expect(page.Locator("#confirmation-erreur")).ToHaveTextAsync("La confirmation ne reprend pas le nouveau mot de passe.");

        await ChangeAsync(page, first, "court", "court");
        await Assertions.Expect(page.Locator("#nouveau-erreur")).ToContainTextAsync("Le mot de passe doit comporter au moins 12 caractères.");

        await ChangeAsync(page, first, second, second);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Votre mot de passe est changé");

        // This session goes on; the other one is signed out at its next request.
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("compte")).ToContainTextAsync(user);
        await elsewhere.GotoAsync("/");
        await Assertions.Expect(elsewhere).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/connexion"));

        // The old password no longer signs in; the new one does.
        var context = await web.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = web.Server.WebAddress.ToString() });
        var stranger = await context.NewPageAsync();
        await stranger.GotoAsync("/connexion");
        await stranger.GetByLabel("Identifiant").FillAsync(user);
        await stranger.GetByLabel("Mot de passe").FillAsync(first);
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("Identifiant ou mot de passe incorrect.");
        await web.SignInAsync((user, second));

        // Audited, under the account itself.
        await admin.GotoAsync("/admin/journal");
        await admin.Locator("#qui").FillAsync($"compte:{user}");
        await admin.Locator("#quoi").SelectOptionAsync("compte.changement_mot_de_passe");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Filtrer" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("journal").Locator("tbody tr")).ToHaveCountAsync(1);
    }

    private static async Task ChangeAsync(IPage page, string current, string password, string confirmation)
    {
        await page.Locator("#actuel").FillAsync(current);
        await page.Locator("#nouveau").FillAsync(password);
        await page.Locator("#confirmation").FillAsync(confirmation);
        await page.GetByRole(AriaRole.Button, new() { Name = "Changer le mot de passe" }).ClickAsync();
    }
}
