using System.Net;

namespace Observatoire.Server.Tests.Web;

/// <summary>
/// A refused form: by the antiforgery check, a French 400 that says what to do (not the framework's English text); by
/// the service, the page again with its error and the values as posted, to be corrected rather than typed again.
/// </summary>
public sealed class RefusedFormTests : IClassFixture<ServerFixture>
{
    private const string Password = "Formulaires-refuses-2026!";

    private readonly ServerFixture _server;

    public RefusedFormTests(ServerFixture server)
    {
        _server = server;
        _server.Settings["Security:BootstrapAdminPassword"] = Password;
    }

    [Fact]
    public async Task A_form_the_antiforgery_check_refuses_is_answered_in_french()
    {
        using var browser = new WebSession().To(_server);
        var token = WebSession.TokenOf(await browser.GetStringAsync("/connexion"));

        foreach (var (name, form) in new[]
        {
            ("sans jeton", new Dictionary<string, string> { ["_handler"] = "connexion", ["Form.UserName"] = "admin", ["Form.Password"] = Password }),
            ("caractère nul", new Dictionary<string, string> { ["_handler"] = "connexion", ["__RequestVerificationToken"] = token, ["Form.UserName"] = "ad\0min", ["Form.Password"] = Password }),
        })
        {
            using var answer = await browser.PostAsync("/connexion", new FormUrlEncodedContent(form));
            var page = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
            Assert.True(HttpStatusCode.BadRequest == answer.StatusCode, $"{name}: {answer.StatusCode} {page}");
            Assert.Contains("Le formulaire n'a pas été accepté", page, StringComparison.Ordinal);
            Assert.DoesNotContain("antiforgery", page, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Null(await WebSession.SignedInAccountAsync(browser));
    }

    [Fact]
    public async Task A_form_the_page_no_longer_shows_is_answered_in_french()
    {
        using var browser = await SignedInAdminAsync();
        var token = WebSession.TokenOf(await browser.GetStringAsync("/admin/cles"));

        using var answer = await browser.PostAsync("/admin/cles", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "formulaire-disparu", ["__RequestVerificationToken"] = token,
        }));
        var page = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

        Assert.True(HttpStatusCode.BadRequest == answer.StatusCode, $"{answer.StatusCode} {page}");
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Ce formulaire n'est plus proposé par la page", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Cannot submit", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_or_account_form_comes_back_with_its_values()
    {
        using var browser = await SignedInAdminAsync();

        var keys = await PostAsync(browser, "/admin/cles", new()
        {
            ["_handler"] = "nouvelle-cle", ["libelle"] = "Libellé conservé", ["role"] = "analyste", ["perimetre"] = "departement:2C", ["expiration"] = "2099-01-01",
        });
        Assert.Contains("value=\"Libellé conservé\"", keys, StringComparison.Ordinal);
        Assert.Contains("value=\"departement:2C\"", keys, StringComparison.Ordinal);
        Assert.Contains("value=\"2099-01-01\"", keys, StringComparison.Ordinal);
        Assert.Contains("<option value=\"analyste\" selected", keys, StringComparison.Ordinal);

        var accounts = await PostAsync(browser, "/admin/comptes", new()
        {
            ["_handler"] = "nouveau-compte", ["identifiant"] = "analyste-35", ["motdepasse"] = "court", ["role"] = "analyste", ["perimetre"] = "departement:35",
        });
        Assert.Contains("value=\"analyste-35\"", accounts, StringComparison.Ordinal);
        Assert.Contains("value=\"departement:35\"", accounts, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"court\"", accounts, StringComparison.Ordinal);

        // Accepted, the form is empty again.
        var created = await PostAsync(browser, "/admin/cles", new() { ["_handler"] = "nouvelle-cle", ["libelle"] = "Clé acceptée", ["role"] = "rapport" });
        Assert.DoesNotContain("value=\"Clé acceptée\"", created, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_campaign_form_with_an_action_of_neither_button_changes_nothing()
    {
        using var browser = await SignedInAdminAsync();

        var page = await PostAsync(browser, "/admin/campagnes", new()
        {
            ["_handler"] = "campagne", ["Form.Period"] = "2024-05", ["Form.Reason"] = "Essai", ["Form.Action"] = "reopen",
        });
        var status = await new Protos.V1.AdminService.AdminServiceClient(_server.CreateChannel())
            .GetCampaignAsync(new Protos.V1.GetCampaignRequest { Period = "2024-05" });

        Assert.Contains("Action inconnue", page, StringComparison.Ordinal);
        Assert.Empty(status.Decisions);
    }

    private async Task<HttpClient> SignedInAdminAsync()
    {
        var browser = new WebSession().To(_server);
        Assert.Equal(HttpStatusCode.Redirect, (await WebSession.SignInAsync(browser, browser, "admin", Password)).StatusCode);
        return browser;
    }

    private static async Task<string> PostAsync(HttpClient browser, string path, Dictionary<string, string> form)
    {
        form["__RequestVerificationToken"] = WebSession.TokenOf(await browser.GetStringAsync(path));
        using var answer = await browser.PostAsync(path, new FormUrlEncodedContent(form));
        var page = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        Assert.True(answer.IsSuccessStatusCode, $"{path}: {answer.StatusCode} {page}");
        return page;
    }
}
