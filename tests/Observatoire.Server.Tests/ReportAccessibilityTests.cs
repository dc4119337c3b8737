using System.Text.RegularExpressions;
using Grpc.Core;
using Observatoire.Protos.V1;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Outline;
using UglyToad.PdfPig.Tokens;

namespace Observatoire.Server.Tests;

/// <summary>The annual report as published: its language, its outline, and a text alternative and a data table for every chart.</summary>
public partial class ReportAccessibilityTests(ReportTests.LozereFixture lozere) : IClassFixture<ReportTests.LozereFixture>
{
    private const string ChartSource = "Source : Observatoire national des ISCG, grilles statistiques transmises par les postes.";
    private const string Annex = "Annexe — Données des graphiques";

    private readonly ReportService.ReportServiceClient _reports = new(lozere.Server.CreateChannel());

    [Fact]
    public async Task The_department_report_is_in_french_titled_and_its_outline_mirrors_the_table_of_contents()
    {
        using var pdf = PdfDocument.Open(await GenerateAsync(new GenerateAnnualReportRequest { Year = 2024, DepartmentCode = "48" }));

        Assert.Equal("fr-FR", Assert.IsType<StringToken>(pdf.Structure.Catalog.CatalogDictionary.Data["Lang"]).Data);
        Assert.Equal("Rapport 2024 — Lozère (48)", pdf.Information.Title);
        var bookmarks = AssertOutlineMirrorsTableOfContents(pdf);
        Assert.Equal(["Lozère (48)", "Annexe méthodologique", Annex], bookmarks.Select(b => b.Title));
    }

    [Fact]
    public async Task Every_chart_of_the_department_report_has_its_description_under_it_and_its_data_in_the_annex()
    {
        using var pdf = PdfDocument.Open(await GenerateAsync(new GenerateAnnualReportRequest { Year = 2024, DepartmentCode = "48" }));

        var charts = AssertEveryChartHasItsAlternative(pdf);

        // Problems, new persons by quarter, orientations, completeness by post.
        Assert.Equal(4, charts);
    }

    /// <summary>
    /// Every bookmark opens the page the table of contents gives for it, and the table of contents has
    /// no entry without a bookmark. Returns the bookmarks, depth first.
    /// </summary>
    internal static List<DocumentBookmarkNode> AssertOutlineMirrorsTableOfContents(PdfDocument pdf)
    {
        Assert.True(pdf.TryGetBookmarks(out var outline));
        var bookmarks = Flatten(outline.Roots).ToList();
        var bodyStart = bookmarks.Min(b => b.PageNumber);
        var contents = string.Concat(Enumerable.Range(2, bodyStart - 2).Select(p => pdf.GetPage(p).Text.Replace("Sommaire", string.Empty, StringComparison.Ordinal)));
        var position = 0;
        foreach (var bookmark in bookmarks)
        {
            // Each entry is its title then its page number, in order.
            var entry = new Regex(Regex.Escape(bookmark.Title) + @"(\d+)").Match(contents, position);
            Assert.True(entry.Success, $"\"{bookmark.Title}\" is not in the table of contents after offset {position}.");
            Assert.Equal(bookmark.PageNumber, int.Parse(entry.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(bookmark.Title, pdf.GetPage(bookmark.PageNumber).Text);
            position = entry.Index + entry.Length;
        }

        // Nothing left in the table of contents but running headers and footers.
        Assert.DoesNotMatch(@"\(\d{2,3}\)\d", contents[position..]);
        return bookmarks;
    }

    /// <summary>
    /// Every chart (one source line each) on a page is followed by "Graphique k." with its description,
    /// numbered 1, 2, 3... through the report; the annex has a table "Graphique k — ..." for each.
    /// Returns the number of charts.
    /// </summary>
    internal static int AssertEveryChartHasItsAlternative(PdfDocument pdf)
    {
        Assert.True(pdf.TryGetBookmarks(out var outline));
        var annex = Flatten(outline.Roots).Single(b => b.Title == Annex).PageNumber;
        var described = new List<int>();
        for (var p = 1; p < annex; p++)
        {
            var text = pdf.GetPage(p).Text;
            var sources = Regex.Matches(text, Regex.Escape(ChartSource)).Count;
            var numbers = DescriptionNumber().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(sources == numbers.Count, $"Page {p}: {sources} charts, {numbers.Count} descriptions.");
            described.AddRange(numbers);
        }

        Assert.Equal(Enumerable.Range(1, described.Count), described);
        var annexText = string.Concat(Enumerable.Range(annex, pdf.NumberOfPages - annex + 1).Select(p => pdf.GetPage(p).Text));
        // A table that spans pages repeats its caption.
        var tables = AnnexCaption().Matches(annexText).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct();
        Assert.Equal(described, tables);
        return described.Count;
    }

    private static IEnumerable<DocumentBookmarkNode> Flatten(IEnumerable<BookmarkNode> nodes) =>
        nodes.SelectMany(n => Flatten(n.Children).Prepend(Assert.IsType<DocumentBookmarkNode>(n)));

    private async Task<byte[]> GenerateAsync(GenerateAnnualReportRequest request)
    {
        using var call = _reports.GenerateAnnualReport(request);
        using var pdf = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            if (chunk.ContentCase == ReportChunk.ContentOneofCase.Data)
            {
                chunk.Data.WriteTo(pdf);
            }
        }

        return pdf.ToArray();
    }

    [GeneratedRegex(@"Graphique (\d+)\. ")]
    private static partial Regex DescriptionNumber();

    [GeneratedRegex(@"Graphique (\d+) — ")]
    private static partial Regex AnnexCaption();
}
