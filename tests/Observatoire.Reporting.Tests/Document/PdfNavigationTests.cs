using System.Text;
using Observatoire.Reporting.Document;
using Observatoire.Reporting.Document.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Outline;
using UglyToad.PdfPig.Tokens;

namespace Observatoire.Reporting.Tests.Document;

/// <summary>The language, outline and title of the written PDF, read back by an independent reader (PdfPig).</summary>
public sealed class PdfNavigationTests
{
    [Fact]
    public void The_report_declares_its_language_french_and_shows_its_title_in_the_title_bar()
    {
        var (_, bytes) = Render(SampleReport.Build());

        using var pdf = PdfDocument.Open(bytes);
        var catalog = pdf.Structure.Catalog.CatalogDictionary;
        Assert.Equal("fr-FR", Assert.IsType<StringToken>(catalog.Data["Lang"]).Data);
        Assert.Equal(SampleReport.Title, pdf.Information.Title);
        var preferences = Assert.IsType<DictionaryToken>(catalog.Data["ViewerPreferences"]);
        Assert.True(Assert.IsType<BooleanToken>(preferences.Data["DisplayDocTitle"]).Data);
    }

    [Fact]
    public void The_outline_has_one_bookmark_per_table_of_contents_entry_opening_the_page_of_its_heading()
    {
        var document = SampleReport.Build();
        var (result, bytes) = Render(document);

        using var pdf = PdfDocument.Open(bytes);
        Assert.True(pdf.TryGetBookmarks(out var bookmarks));
        var expected = document.Sections
            .Select((s, i) => (s.Title, s.Level, Page: result.SectionPages[i]))
            .Where(e => e.Level is 1 or 2)
            .Append((Title: "Annexe — Données des graphiques", Level: 1, Page: result.ChartDataPage!.Value))
            .ToList();
        var actual = Flatten(bookmarks.Roots).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Title, actual[i].Title);
            Assert.Equal(expected[i].Level - 1, actual[i].Level);
            Assert.Equal(expected[i].Page, actual[i].PageNumber);
        }

        Assert.Equal("UseOutlines", Assert.IsType<NameToken>(pdf.Structure.Catalog.CatalogDictionary.Data["PageMode"]).Data);
    }

    [Fact]
    public void The_update_is_appended_and_leaves_the_pages_skia_wrote_byte_for_byte()
    {
        var document = SampleReport.Build();
        var (_, withOutline) = Render(document);
        var update = Encoding.Latin1.GetString(withOutline);
        var original = withOutline.AsSpan(0, update.LastIndexOf("%%EOF", update.Length - 7, StringComparison.Ordinal) + 5);

        Assert.Contains("/Prev ", update[original.Length..]);
        using var reread = PdfDocument.Open(original.ToArray());
        using var updated = PdfDocument.Open(withOutline);
        Assert.False(reread.Structure.Catalog.CatalogDictionary.Data.ContainsKey("Lang"));
        Assert.Equal(updated.NumberOfPages, reread.NumberOfPages);
        Assert.Equal(updated.GetPage(3).Text, reread.GetPage(3).Text);
    }

    [Fact]
    public void A_second_update_over_the_first_is_read_through_both_cross_reference_sections()
    {
        var (_, first) = Render(SampleReport.Build());
        var second = PdfNavigationUpdate.Build(first, "en-GB", [new PdfOutlineEntry("Seule entrée", 2, [])]);

        using var pdf = PdfDocument.Open([.. first, .. second]);
        Assert.Equal("en-GB", ((StringToken)pdf.Structure.Catalog.CatalogDictionary.Data["Lang"]).Data);
        Assert.True(pdf.TryGetBookmarks(out var bookmarks));
        var only = Assert.IsType<DocumentBookmarkNode>(Assert.Single(bookmarks.Roots));
        Assert.Equal(("Seule entrée", 2), (only.Title, only.PageNumber));
        Assert.Equal(SampleReport.Title, pdf.Information.Title);
    }

    [Fact]
    public void A_bookmark_to_a_page_the_pdf_does_not_have_is_refused()
    {
        var (result, bytes) = Render(SampleReport.Build());

        var error = Assert.Throws<ArgumentException>(() =>
            PdfNavigationUpdate.Build(bytes, "fr-FR", [new PdfOutlineEntry("Trop loin", result.PageCount + 1, [])]));
        Assert.Contains("Trop loin", error.Message);
    }

    [Theory]
    [InlineData("fr FR")]
    [InlineData("fr-FR) /Evil (x")]
    [InlineData("")]
    public void A_language_that_is_not_a_language_tag_is_refused(string language)
    {
        var (_, bytes) = Render(SampleReport.Build());

        Assert.Throws<ArgumentException>(() => PdfNavigationUpdate.Build(bytes, language, []));
    }

    [Theory]
    [InlineData("")]
    [InlineData("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")]
    [InlineData("%PDF-1.5\nstartxref\n9\n%%EOF")]
    [InlineData("%PDF-1.4\nxref\n0 99999999\ntrailer\n<</Size 1>>\nstartxref\n9\n%%EOF")]
    [InlineData("%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 1 /Root 1 0 R /Prev 9>>\nstartxref\n9\n%%EOF")]
    public void A_file_that_is_not_a_complete_classic_pdf_is_refused_as_invalid_data(string text) =>
        Assert.Throws<InvalidDataException>(() => PdfNavigationUpdate.Build(Encoding.Latin1.GetBytes(text), "fr-FR", []));

    private static IEnumerable<DocumentBookmarkNode> Flatten(IEnumerable<BookmarkNode> nodes) =>
        nodes.SelectMany(n => Flatten(n.Children).Prepend(Assert.IsType<DocumentBookmarkNode>(n)));

    private static (ReportResult Result, byte[] Bytes) Render(ReportDocument document)
    {
        using var output = new MemoryStream();
        var result = new PdfReportWriter().Write(document, output);
        return (result, output.ToArray());
    }
}
