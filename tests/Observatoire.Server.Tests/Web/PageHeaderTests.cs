using System.Net;
using Observatoire.Server.Web;

namespace Observatoire.Server.Tests.Web;

/// <summary>Every page says what a browser may do with it; what is behind a sign-in is never cached.</summary>
public sealed class PageHeaderTests : IDisposable
{
    private const string Password = "Entetes-des-pages-2026!";

    private readonly ServerFixture _server = new();

    public PageHeaderTests() => _server.Settings["Security:BootstrapAdminPassword"] = Password;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Pages_carry_their_security_policy_and_signed_in_files_are_not_cached()
    {
        using var browser = new WebSession().To(_server);
        using var signIn = await browser.GetAsync("/connexion");

        Assert.Equal(PageHeaders.ContentSecurityPolicy, string.Join(";", signIn.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", Assert.Single(signIn.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(signIn.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(signIn.Headers.GetValues("Referrer-Policy")));

        (await WebSession.SignInAsync(browser, browser, "admin", Password)).Dispose();
        var year = DateTime.UtcNow.Year - 1;
        using var bilan = await browser.GetAsync($"/poste/{TestGrids.MonthlyPost(0).Id}/bilan/{year}");

        Assert.Equal(HttpStatusCode.OK, bilan.StatusCode);
        Assert.Equal("application/pdf", bilan.Content.Headers.ContentType?.MediaType);
        Assert.True(bilan.Headers.CacheControl?.NoStore, bilan.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(bilan.Headers.GetValues("X-Content-Type-Options")));
    }
}
