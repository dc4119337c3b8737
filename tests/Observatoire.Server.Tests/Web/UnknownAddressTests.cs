using System.Net;
using System.Text.Json;

namespace Observatoire.Server.Tests.Web;

/// <summary>
/// An address nothing serves: a browser, signed in or not, gets the French "page introuvable" in the site's layout
/// (404), never a 401 asking for an API key; another client a REST 404 in JSON.
/// </summary>
public sealed class UnknownAddressTests
{
    private const string Password = "Adresses-inconnues-2026!";

    [Fact]
    public async Task A_browser_gets_the_french_not_found_page_signed_in_or_not_and_an_api_client_a_json_404()
    {
        using var server = new ServerFixture();
        server.Settings["Security:BootstrapAdminPassword"] = Password;
        var session = new WebSession();
        using var browser = session.To(server);

        await AssertNotFoundPageAsync(browser, "/nexistepas");
        await AssertNotFoundPageAsync(browser, "/favicon.ico");

        Assert.Equal(HttpStatusCode.Redirect, (await WebSession.SignInAsync(browser, browser, "admin", Password)).StatusCode);
        Assert.Equal("admin", await WebSession.SignedInAccountAsync(browser));
        var page = await AssertNotFoundPageAsync(browser, "/admin/inconnu");
        Assert.Contains("admin", page, StringComparison.Ordinal);

        using var api = server.CreateRestClient();
        using var answer = await api.GetAsync(new Uri("/v1/inconnu", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(5, body.RootElement.GetProperty("code").GetInt32());
        Assert.Contains("Aucune ressource", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> AssertNotFoundPageAsync(HttpClient browser, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var response = await browser.SendAsync(request);
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"{path}: {response.StatusCode} {page}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Page introuvable</h1>", page, StringComparison.Ordinal);
        Assert.Contains("dsfr.min.css", page, StringComparison.Ordinal);
        return page;
    }
}
