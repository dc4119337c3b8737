using System.Net;
using Observatoire.Server.Web.Accounts;

namespace Observatoire.Server.Tests.Web;

/// <summary>
/// The sign-in page says nothing of which accounts exist or are locked, is throttled per address, and signing out ends
/// the account's sessions: a cookie copied before stops working.
/// </summary>
public sealed class SignInTests : IDisposable
{
    private const string Password = "Connexion-essais-2026!";

    private readonly ServerFixture _server = new();

    public SignInTests()
    {
        _server.Settings["Security:BootstrapAdminPassword"] = Password;
        _server.Settings["Security:MaxFailedSignIns"] = "2";
        _server.Settings["Security:SessionCheckSeconds"] = "0";
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Unknown_wrong_and_locked_get_the_same_answer()
    {
        _server.Settings["Security:SignInsPerMinute"] = "0";
        using var browser = new WebSession().To(_server);

        async Task<string> AnswerAsync(string user, string password)
        {
            using var answer = await WebSession.SignInAsync(browser, browser, user, password);
            return WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        }

        var unknown = await AnswerAsync("personne-inconnue", "Mauvais-mot-de-passe-1!");
        var wrong = await AnswerAsync("admin", "Mauvais-mot-de-passe-1!");
        await AnswerAsync("admin", "Mauvais-mot-de-passe-2!");
        var locked = await AnswerAsync("admin", Password);

        foreach (var page in new[] { unknown, wrong, locked })
        {
            Assert.Contains(SignInDesk.Refusal, page, StringComparison.Ordinal);
            Assert.DoesNotContain("Ce compte est verrouillé", page, StringComparison.Ordinal);
        }

        Assert.Null(await WebSession.SignedInAccountAsync(browser));
    }

    [Fact]
    public async Task Sign_ins_from_one_address_are_throttled_whatever_the_accounts()
    {
        _server.Settings["Security:SignInsPerMinute"] = "3";
        using var browser = new WebSession().To(_server);

        var statuses = new List<HttpStatusCode>();
        foreach (var user in new[] { "a", "b", "c", "admin" })
        {
            using var answer = await WebSession.SignInAsync(browser, browser, user, Password);
            statuses.Add(answer.StatusCode);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("Trop de tentatives de connexion", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.True(answer.Headers.RetryAfter is not null);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_client_address_has_its_own_sign_in_count()
    {
        _server.Settings["Security:SignInsPerMinute"] = "2";
        _server.Settings["Security:TrustedProxies:0"] = "10.0.0.1";

        async Task<HttpStatusCode> SignInThroughAsync(string proxy, string client)
        {
            var context = await _server.Server.SendAsync(c =>
            {
                c.Request.Method = "POST";
                c.Request.Path = "/connexion";
                c.Request.Scheme = "https";
                c.Request.Headers["X-Forwarded-For"] = client;
                c.Connection.RemoteIpAddress = IPAddress.Parse(proxy);
            });
            return (HttpStatusCode)context.Response.StatusCode;
        }

        // Two tries of one person, then a third refused; another person behind the same proxy is not held back by it.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignInThroughAsync("10.0.0.1", "203.0.113.5"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignInThroughAsync("10.0.0.1", "203.0.113.5"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInThroughAsync("10.0.0.1", "203.0.113.5"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignInThroughAsync("10.0.0.1", "203.0.113.6"));

        // A header from an address not listed is not believed: it counts as that address.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignInThroughAsync("192.0.2.9", "203.0.113.7"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignInThroughAsync("192.0.2.9", "203.0.113.8"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInThroughAsync("192.0.2.9", "203.0.113.9"));
    }

    [Fact]
    public async Task Signing_out_ends_a_copy_of_the_session_cookie()
    {
        _server.Settings["Security:SignInsPerMinute"] = "0";
        var session = new WebSession();
        using var browser = session.To(_server);
        using var signedIn = await WebSession.SignInAsync(browser, browser, "admin", Password);
        Assert.Equal("admin", await WebSession.SignedInAccountAsync(browser));

        // The cookie as a proxy's log or a shared computer would keep it.
        using var copy = _server.CreateDefaultClient(new Uri("https://localhost"));
        copy.DefaultRequestHeaders.Add("Cookie", session.CookieHeader(new Uri("https://localhost")));
        Assert.Equal("admin", await WebSession.SignedInAccountAsync(copy));

        var token = WebSession.TokenOf(await browser.GetStringAsync("/"));
        using var signedOut = await browser.PostAsync("/deconnexion", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Null(await WebSession.SignedInAccountAsync(copy));
    }
}
