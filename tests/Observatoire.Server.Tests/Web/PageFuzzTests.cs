using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Observatoire.Protos.V1;
using Observatoire.Server.Tests.Robustness;
using Observatoire.Server.Web.Accounts;

namespace Observatoire.Server.Tests.Web;

/// <summary>
/// The web pages and downloads with random input, signed in with each role and without: every GET route the server
/// maps (read from its endpoints, route values and the query parameters its pages declare drawn at random), then
/// the pages their links lead to, then every form those pages serve, posted with their own antiforgery token and random
/// values in their fields. None may answer 5xx. Like <see cref="ContractFuzzTests"/>, nothing here names a page: a page added later is covered.
/// </summary>
public sealed partial class PageFuzzTests
{
    private const string Password = "Fuzz-des-pages-2026!témoin";

    /// <summary>Random addresses per route and role, and random posts per form and role.</summary>
    private const int TriesPerRoute = 6;

    /// <summary>At most this many pages reached by following links, per role.</summary>
    private const int MaxLinkedPages = 40;

    [Fact]
    public async Task No_random_address_or_form_of_the_web_pages_is_a_server_error()
    {
        using var server = new ServerFixture();
        server.Settings["Security:BootstrapAdminPassword"] = Password;
        var post = TestGrids.MonthlyPost(7);
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        foreach (var period in new[] { "2025-01", "2025-02" })
        {
            await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, period)));
        }

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AccountUser>>();
            await AccountsInitializer.CreateAsync(users, "analyste-fuzz", Password, "analyste", "", "departement:" + post.DepartmentCode);
            await AccountsInitializer.CreateAsync(users, "poste-fuzz", Password, "poste", post.Id, null);
        }

        var routes = Routes(server);
        Assert.True(routes.Count >= 15, $"only {routes.Count} page routes found");
        var known = new KnownValues([], [post.Id, post.DepartmentCode, "2025", "2025-01", "2025-T1", "national", "departement", "region", "csv", "xlsx", "png", "svg", "pdf", "personnes_recues", "1", "0"]);

        var failures = new List<string>();
        var requests = 0;
        foreach (var user in new[] { "admin", "analyste-fuzz", "poste-fuzz", null })
        {
            using var browser = server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
            if (user is not null)
            {
                Assert.Equal(HttpStatusCode.Redirect, (await WebSession.SignInAsync(browser, browser, user, Password)).StatusCode);
            }

            var random = new RandomRequests(new Random(user?.Length ?? 0), known);

            // A GET, its 5xx noted; the page's HTML when it is one.
            async Task<string?> GetPageAsync(string url)
            {
                requests++;
                using var response = await browser.GetAsync(url);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"GET {Shorten(url)} as {user ?? "anonyme"}: {(int)response.StatusCode}");
                    return null;
                }

                return response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/html"
                    ? await response.Content.ReadAsStringAsync()
                    : null;
            }
            var pages = new List<(string Url, string Html)>();
            foreach (var (pattern, queryNames) in routes)
            {
                for (var i = 0; i < TriesPerRoute; i++)
                {
                    var url = Address(pattern, queryNames, random, i);
                    if (await GetPageAsync(url) is { } html && i == 0)
                    {
                        pages.Add((url, html));
                    }
                }
            }

            // The pages their links lead to (a post's grid, a department, a post of the registry), for their forms.
            var seen = new HashSet<string>(pages.Select(p => p.Url), StringComparer.Ordinal);
            var linked = pages.SelectMany(p => Links(p.Html)).Where(seen.Add)
                .GroupBy(l => string.Join('/', l.Split('?')[0].Split('/').Select(part => part.Any(char.IsDigit) ? "*" : part)), StringComparer.Ordinal)
                .SelectMany(g => g.Take(3)) // a few of a kind: a few departments, not a hundred
                .Take(MaxLinkedPages).ToList();
            foreach (var link in linked)
            {
                if (await GetPageAsync(link) is { } html)
                {
                    pages.Add((link, html));
                }
            }

            foreach (var (url, html) in pages)
            {
                foreach (var form in Forms(html))
                {
                    for (var i = 0; i < TriesPerRoute; i++)
                    {
                        requests++;
                        var target = form.Action.Length > 0 ? form.Action : url;
                        using var response = await browser.PostAsync(target, new FormUrlEncodedContent(form.Fields.Select(f => KeyValuePair.Create(f.Name, FieldValue(f, random)))));
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"POST {Shorten(target)} ({string.Join(", ", form.Fields.Where(f => !f.Hidden).Select(f => f.Name))}) as {user ?? "anonyme"}: {(int)response.StatusCode}");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Distinct().Take(100))}");
    }

    /// <summary>
    /// Every GET route of the web pages and their downloads, with the query parameters a page declares
    /// (<see cref="SupplyParameterFromQueryAttribute"/>); not the static files, nor the gRPC, REST, health and metrics routes
    /// (which have their own tests).
    /// </summary>
    private static List<(string Pattern, string[] QueryNames)> Routes(ServerFixture server) =>
        [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>() is not { } methods || methods.HttpMethods.Contains("GET"))
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null && !(e.RoutePattern.RawText ?? "").Contains("{**", StringComparison.Ordinal))
            .Select(e => (Pattern: "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), Component: e.Metadata.OfType<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>().FirstOrDefault()?.Type))
            .Where(e => !e.Pattern.StartsWith("/v1/", StringComparison.Ordinal) && !e.Pattern.StartsWith("/observatoire.", StringComparison.Ordinal)
                && !e.Pattern.StartsWith("/grpc.", StringComparison.Ordinal) && !e.Pattern.Contains("/_", StringComparison.Ordinal)
                && !e.Pattern.StartsWith("/{unimplementedService}", StringComparison.Ordinal)
                && !e.Pattern.StartsWith("/health", StringComparison.Ordinal) && e.Pattern != "/metrics")
            .Select(e => (e.Pattern, e.Component is null ? Array.Empty<string>() : QueryNamesOf(e.Component)))
            .Distinct()];

    private static string[] QueryNamesOf(Type component) =>
        [.. component.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => p.Attribute!.Name ?? p.Property.Name)];

    /// <summary>The route with random values in its parameters, and some of the page's query parameters (the first try has none).</summary>
    private static string Address(string pattern, string[] queryNames, RandomRequests random, int attempt)
    {
        var path = RouteParameter().Replace(pattern, _ => Uri.EscapeDataString(random.Text().Replace("\0", "", StringComparison.Ordinal)));
        if (attempt == 0 || queryNames.Length == 0)
        {
            return path;
        }

        var query = queryNames.Where((_, i) => (attempt + i) % 3 != 0).Select(n => $"{n}={Uri.EscapeDataString(random.Text())}");
        return $"{path}?{string.Join("&", query)}";
    }

    private static string FieldValue(FormField field, RandomRequests random) =>
        field.Hidden || field.Name == "__RequestVerificationToken" ? field.Value
        : field.Options.Count > 0 && random.Next(2) == 0 ? field.Options[random.Next(field.Options.Count)]
        : random.Text();

    /// <summary>The forms of a page that post (not the sign-out): their action and fields, hidden ones with their value.</summary>
    private static IEnumerable<Form> Forms(string html)
    {
        foreach (Match form in FormTag().Matches(html))
        {
            var action = WebUtility.HtmlDecode(form.Groups["action"].Value);
            if (action.EndsWith("/deconnexion", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = new List<FormField>();
            foreach (Match input in FieldTag().Matches(form.Groups["body"].Value))
            {
                var tag = input.Value;
                var name = WebUtility.HtmlDecode(Attribute(tag, "name"));
                if (name.Length == 0 || fields.Any(f => f.Name == name))
                {
                    continue;
                }

                var options = input.Groups["select"].Success
                    ? OptionValue().Matches(input.Groups["options"].Value).Select(o => WebUtility.HtmlDecode(o.Groups["value"].Value)).ToList()
                    : [];
                fields.Add(new FormField(name, WebUtility.HtmlDecode(Attribute(tag, "value")), Attribute(tag, "type") == "hidden", options));
            }

            yield return new Form(action, fields);
        }
    }

    /// <summary>The page's links to other pages of the server (not its static files, not the sign-out).</summary>
    private static IEnumerable<string> Links(string html) =>
        LinkTag().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["href"].Value))
            .Where(h => !h.StartsWith("/lib/", StringComparison.Ordinal) && !h.StartsWith("/css/", StringComparison.Ordinal)
                && !h.StartsWith("/js/", StringComparison.Ordinal) && !h.StartsWith("/deconnexion", StringComparison.Ordinal))
            .Distinct();

    private static string Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $@"\s{name}=""(?<v>[^""]*)""");
        return match.Success ? match.Groups["v"].Value : "";
    }

    private static string Shorten(string url) => url.Length <= 300 ? url : url[..300] + "…";

    [GeneratedRegex(@"<a\b[^>]*\bhref=""(?<href>/(?!/)[^""#]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex LinkTag();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"<form\b(?=[^>]*\bmethod=""post"")(?:[^>]*\baction=""(?<action>[^""]*)"")?[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex(@"<input\b[^>]*>|<textarea\b[^>]*>|(?<select><select\b[^>]*>(?<options>.*?)</select>)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FieldTag();

    [GeneratedRegex(@"<option\b[^>]*\bvalue=""(?<value>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex OptionValue();

    private sealed record FormField(string Name, string Value, bool Hidden, List<string> Options);

    private sealed record Form(string Action, List<FormField> Fields);
}
