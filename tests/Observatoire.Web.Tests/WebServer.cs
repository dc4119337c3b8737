using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Observatoire.Protos.V1;
using Observatoire.Soak;
using Observatoire.Tests.Shared;

namespace Observatoire.Web.Tests;

/// <summary>
/// The real server as a child process on 127.0.0.1 (gRPC through --urls, the pages on their own HTTP/1.1
/// endpoint), in Development so that the demonstration accounts of the README exist, and Debian's Chromium
/// driven by Playwright. Chromium missing is a failure, never a skip: CI installs it.
/// </summary>
public sealed class WebServer : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string AdminKey = "obs_webtests0000_browser-tests-bootstrap-admin-key-0123456789";

    /// <summary>The accounts the README names (Development seeds them; admin comes from appsettings.Development.json).</summary>
    public static readonly (string User, string Password) Post = ("poste-demo", "Poste-demo-2026!");
    public static readonly (string User, string Password) Analyst = ("analyste-ain", "Analyste-demo-2026!");
    public static readonly (string User, string Password) Admin = ("admin", "Admin-demo-2026!");

    /// <summary>The repository's root folder (examples are read from it).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private readonly string _directory = Directory.CreateTempSubdirectory("observatoire-web-").FullName;
    private ChildServer? _server;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public ChildServer Server => _server ?? throw new InvalidOperationException("Server not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium est introuvable ({ChromiumPath}) : installez-le (apt-get install chromium) ; .ci/run le fait.");
        }

        _server = await ChildServer.StartAsync(
            ChildServer.LocateServerDll(),
            Path.Combine(_directory, "web.db"),
            AdminKey,
            TimeSpan.FromSeconds(180),
            listen: ListenWith.UrlsArgument,
            environment: new Dictionary<string, string>
            {
                // Periods do not close by themselves: only the administrator's decision closes one here.
                ["Campaigns__CloseAfterDays"] = "0",

                // Pages wait for the year's first suppression plan rather than show it pending (a loaded machine).
                ["Consolidation__PublicationWaitMilliseconds"] = "600000",

                // Sessions check their account's security stamp on every request: a password change ends the others at once.
                ["Security__SessionCheckSeconds"] = "0",

                // The browser tests sign in many times from one address (the sign-in limit is SignInTests' to check).
                ["Security__SignInsPerMinute"] = "0",
            });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>A fresh browser (no cookie) signed in with this account, on the home page.</summary>
    public async Task<IPage> SignInAsync((string User, string Password) account)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.WebAddress.ToString(), Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant").FillAsync(account.User);
        await page.GetByLabel("Mot de passe").FillAsync(account.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return page;
    }

    /// <summary>Grids filed over gRPC with the admin key, as the other tests do.</summary>
    public async Task SubmitOverGrpcAsync(string postId, string period)
    {
        using var channel = Server.CreateChannel();
        var grid = new Grid { PostId = postId, Period = period, SchemaVersion = "2025.1" };
        grid.Values.Add(ValidGridValues.Create());
        await new GridService.GridServiceClient(channel).SubmitGridAsync(
            new SubmitGridRequest { SubmissionId = Guid.NewGuid().ToString(), ClientId = "tests-web", Grid = grid });
    }

    /// <summary>Runs axe on the page: no serious or critical violation (RGAA basics).</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.True(PolicyViolations.IsEmpty, "Refusé par la politique de sécurité des pages : " + string.Join(Environment.NewLine, PolicyViolations));
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(
            blocking.Count == 0,
            $"{page.Url} : " + string.Join(Environment.NewLine, blocking.Select(v =>
                $"{v.Id} ({v.Impact}) : {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    /// <summary>What a page's content security policy refused in any page a signed-in test opened (a script, a style, a font).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> PolicyViolations = new();

    /// <summary>Records the console's reports of the content security policy for this page (checked by <see cref="AssertAccessibleAsync"/>).</summary>
    public static void Watch(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                PolicyViolations.Enqueue($"{page.Url} : {message.Text}");
            }
        };
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Observatoire.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Observatoire.sln introuvable au-dessus du dossier des tests.");
    }

    /// <summary>Saves a full-page screenshot when OBSERVATOIRE_SCREENSHOTS names a folder (for docs/).</summary>
    public static async Task ScreenshotAsync(IPage page, string name, string? scrollTo = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (Environment.GetEnvironmentVariable("OBSERVATOIRE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            if (scrollTo is not null)
            {
                await page.Locator(scrollTo).First.ScrollIntoViewIfNeededAsync();
            }

            // Long pages are shot at the part that matters, one screen high.
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = scrollTo is null });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebServer>
{
    public const string Name = "navigateur";
}
