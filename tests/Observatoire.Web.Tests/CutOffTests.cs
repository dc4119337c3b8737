using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Playwright;
using Observatoire.Protos.V1;
using Observatoire.Tests.Shared;

namespace Observatoire.Web.Tests;

/// <summary>« Données arrêtées au » on the analysis pages: the figures as they stood at an instant, their downloads with them.</summary>
[Collection(WebCollection.Name)]
public sealed class CutOffTests(WebServer web)
{
    /// <summary>A post and a month no other test of the collection files grids for.</summary>
    private const string Post = "P-01-001";

    private const string Month = "2019-06";

    /// <summary>Files the post's grid of the month with <paramref name="more"/> interviews (by phone), received at <paramref name="receivedAt"/> (now when null).</summary>
    private async Task SubmitAsync(int more, DateTime? receivedAt)
    {
        using var channel = web.Server.CreateChannel();
        var grid = new Grid { PostId = Post, Period = Month, SchemaVersion = "2025.1" };
        grid.Values.Add(ValidGridValues.Create());
        grid.Values["entretiens"] += more;
        grid.Values["entretiens[modalite=telephonique]"] += more;
        var request = new SubmitGridRequest { SubmissionId = Guid.NewGuid().ToString(), ClientId = "tests-web", Grid = grid };
        if (receivedAt is { } instant)
        {
            request.ReceivedAt = Timestamp.FromDateTime(instant);
        }

        await new GridService.GridServiceClient(channel).SubmitGridAsync(request);
    }

    private static ILocator Interviews(IPage page) =>
        page.GetByTestId("chiffres-cles").Locator("tr", new() { Has = page.Locator("th", new() { HasTextRegex = new Regex("^Entretiens$") }) }).Locator("td").First;

    [Fact]
    public async Task A_page_shows_the_figures_as_they_stood_at_the_cut_off_and_todays_without_it()
    {
        // The grid as first received three days ago (70 interviews), revised today (79).
        var firstReceived = DateTime.UtcNow.Date.AddDays(-3).AddHours(8);
        await SubmitAsync(0, firstReceived);
        await SubmitAsync(9, null);

        var page = await web.SignInAsync(WebServer.Admin);
        await page.GotoAsync($"/analyse/territoire?niveau=poste&code={Post}&indicateur=entretiens&periode={Month}");
        await Assertions.Expect(Interviews(page)).ToHaveTextAsync("79");
        await Assertions.Expect(page.GetByTestId("arrete-au")).ToHaveCountAsync(0);

        // The cut-off a minute after the first reception: the figure of then, the page saying so.
        var cutOff = firstReceived.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await page.GetByLabel("Données arrêtées au").FillAsync(cutOff);
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("arrete_au="));
        await Assertions.Expect(Interviews(page)).ToHaveTextAsync("70");
        await Assertions.Expect(page.GetByTestId("arrete-au")).ToContainTextAsync("Données arrêtées au");
        await Assertions.Expect(page.GetByLabel("Données arrêtées au")).ToHaveValueAsync(cutOff);
        await WebServer.AssertAccessibleAsync(page);

        // The downloads of the page carry the cut-off: the key figures as CSV are those of then.
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "Télécharger les chiffres clés (CSV)" }).GetAttributeAsync("href");
        Assert.Contains("arrete_au=", href, StringComparison.Ordinal);
        var csv = await (await page.APIRequest.GetAsync(href!)).TextAsync();
        Assert.Contains(";70;", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(";79;", csv, StringComparison.Ordinal);

        // Back to today's figures with the field emptied.
        await page.GetByLabel("Données arrêtées au").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await Assertions.Expect(Interviews(page)).ToHaveTextAsync("79");
    }

    [Fact]
    public async Task A_cut_off_in_the_future_is_refused_beside_the_field_in_french()
    {
        var page = await web.SignInAsync(WebServer.Admin);

        var response = await page.GotoAsync($"/analyse?periode={Month}&indicateur=entretiens&arrete_au=2999-01-01T00:00");

        Assert.Equal(400, response!.Status);
        var field = page.GetByLabel("Données arrêtées au");
        await Assertions.Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("arrete-au-erreur")).ToContainTextAsync("est dans le futur");
        await Assertions.Expect(page.GetByTestId("chiffres-cles")).ToHaveCountAsync(0);
        await WebServer.AssertAccessibleAsync(page);

        var unreadable = await page.GotoAsync($"/analyse/territoire?niveau=national&periode={Month}&arrete_au=hier");
        Assert.Equal(400, unreadable!.Status);
        await Assertions.Expect(page.GetByTestId("arrete-au-erreur")).ToContainTextAsync("n'est pas une date et une heure");
        Assert.Equal(400, (await page.APIRequest.GetAsync($"/analyse/carte.csv?periode={Month}&arrete_au=2999-01-01T00:00")).Status);
    }

    [Fact]
    public async Task An_analyst_chooses_among_the_published_editions_and_no_other_instant()
    {
        using (var channel = web.Server.CreateChannel())
        {
            await new EditionService.EditionServiceClient(channel).PublishEditionAsync(new PublishEditionRequest { Year = 2019, Edition = "web-analyste" });
        }

        var page = await web.SignInAsync(WebServer.Analyst);
        await page.GotoAsync($"/analyse?periode={Month}&indicateur=entretiens");

        // A list, not a free date: today's figures, or an edition's cut-off.
        var field = page.Locator("select#arrete-au");
        await Assertions.Expect(field).ToHaveCountAsync(1);
        var options = await field.Locator("option").AllInnerTextsAsync();
        Assert.Equal("Aujourd'hui", options[0]);
        var label = Assert.Single(options, o => o.Contains("« web-analyste » (2019)", StringComparison.Ordinal));
        await field.SelectOptionAsync(new SelectOptionValue { Label = label });
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("arrete_au="));
        await Assertions.Expect(page.GetByTestId("arrete-au")).ToContainTextAsync("Données arrêtées au");
        await Assertions.Expect(page.Locator("select#arrete-au option:checked")).ToHaveTextAsync(label);
        await WebServer.AssertAccessibleAsync(page);

        // Any other instant, typed into the address: refused beside the field, no figure shown.
        var other = await page.GotoAsync($"/analyse?periode={Month}&indicateur=entretiens&arrete_au=2020-01-01T00:00");
        Assert.Equal(400, other!.Status);
        await Assertions.Expect(page.GetByTestId("arrete-au-erreur")).ToContainTextAsync("choisissez-en une dans la liste");
        await WebServer.AssertAccessibleAsync(page);
        Assert.Equal(400, (await page.APIRequest.GetAsync($"/analyse/carte.csv?periode={Month}&indicateur=entretiens&arrete_au=2020-01-01T00:00")).Status);
    }
}
