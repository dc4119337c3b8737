using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Observatoire.Server.Tests.Web;

/// <summary>
/// A browser's cookie jar over plain HTTP: the same cookies go to whichever server instance a request is sent to, as
/// behind a load balancer without session affinity. Redirects are not followed, so that a test sees them.
/// </summary>
public sealed partial class WebSession
{
    private readonly CookieContainer _cookies = new();

    /// <summary>A client of that instance's pages carrying this session's cookies (HTTPS: the cookies are Secure outside Development).</summary>
    public HttpClient To(WebApplicationFactory<ObservatoireOptions> instance) =>
        instance.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(_cookies));

    /// <summary>This session's cookies for <paramref name="address"/>, as a Cookie header carries them.</summary>
    public string CookieHeader(Uri address) => _cookies.GetCookieHeader(address);

    /// <summary>The antiforgery token of the page's first form.</summary>
    public static string TokenOf(string page)
    {
        var token = Antiforgery().Match(page).Groups["token"].Value;
        Assert.False(string.IsNullOrEmpty(token), "Jeton antiforgery introuvable dans la page.");
        return token;
    }

    /// <summary>Fills the sign-in form that <paramref name="formFrom"/> served and posts it to <paramref name="postTo"/>.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient formFrom, HttpClient postTo, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(formFrom);
        ArgumentNullException.ThrowIfNull(postTo);
        var token = TokenOf(await formFrom.GetStringAsync("/connexion"));
        return await postTo.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "connexion",
            ["__RequestVerificationToken"] = token,
            ["Form.UserName"] = user,
            ["Form.Password"] = password,
            ["Form.ReturnUrl"] = "",
        }));
    }

    /// <summary>The home page as that instance answers it: the signed-in account it names, or null when it sends to the sign-in page.</summary>
    public static async Task<string?> SignedInAccountAsync(HttpClient instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        using var response = await instance.GetAsync("/");
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/connexion", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var account = Account().Match(await response.Content.ReadAsStringAsync());
        Assert.True(account.Success, "La page d'accueil ne nomme pas le compte connecté.");
        return account.Groups["name"].Value;
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*value=""(?<token>[^""]+)""")]
    private static partial Regex Antiforgery();

    [GeneratedRegex(@"data-testid=""compte"">(?<name>[^ <]+)")]
    private static partial Regex Account();
}
