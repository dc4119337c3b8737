using Observatoire.Reporting.Charts;
using Observatoire.Reporting.Document;
using Observatoire.Reporting.Tests.Charts;
using UglyToad.PdfPig;

namespace Observatoire.Reporting.Tests.Document;

/// <summary>Every chart of a report has its description under it and its data in the annex.</summary>
public sealed class ChartAnnexTests
{
    [Fact]
    public void Every_chart_is_followed_by_its_numbered_description_and_its_data_is_a_table_of_the_annex()
    {
        Chart[] charts = [SampleCharts.Statut(), SampleCharts.TimeSeries(), SampleCharts.Pyramid()];
        var document = new ReportDocument("Rapport d’essai", "Sous-titre", "Observatoire national des ISCG", new DateOnly(2026, 11, 16),
        [
            new ReportSection("Publics", 1, [ChartAlternatives.Block(charts[0]), ChartAlternatives.Block(charts[1])]),
            new ReportSection("Âges", 1, [new ParagraphBlock("Texte."), ChartAlternatives.Block(charts[2])]),
        ]);

        using var output = new MemoryStream();
        var result = new PdfReportWriter().Write(document, output);

        using var pdf = PdfDocument.Open(output.ToArray());
        var annex = result.ChartDataPage!.Value;
        Assert.Contains("Annexe — Données des graphiques", PdfInspection.PlainText(pdf.GetPage(2)));
        var body = string.Join('\n', Enumerable.Range(3, annex - 3).Select(p => PdfInspection.PlainText(pdf.GetPage(p))));
        var annexText = string.Join('\n', Enumerable.Range(annex, result.PageCount - annex + 1).SelectMany(p => PdfInspection.Lines(pdf.GetPage(p))).Select(l => l.Text));
        for (var i = 0; i < charts.Length; i++)
        {
            var alternative = ChartAlternatives.For(charts[i]);
            var number = i + 1;
            Assert.Contains(PdfInspection.Fold($"Graphique {number}. {alternative.Description.Split(' ')[0]}"), Squash(body));
            Assert.Contains(PdfInspection.Fold($"Graphique {number} — {alternative.Title}"), Squash(annexText));
            foreach (var row in alternative.Rows)
            {
                Assert.Contains(PdfInspection.Fold(row[0]), annexText);
            }
        }

        Assert.Contains("Tiers ou proche secret —", PdfInspection.Fold(annexText));
    }

    [Fact]
    public void A_document_without_charts_has_no_chart_data_annex()
    {
        var document = new ReportDocument("Rapport", "Sous-titre", "Éditeur", new DateOnly(2026, 11, 16),
            [new ReportSection("Texte", 1, [new ParagraphBlock("Un paragraphe.")])]);

        using var output = new MemoryStream();
        var result = new PdfReportWriter().Write(document, output);

        Assert.Null(result.ChartDataPage);
        Assert.Equal(3, result.PageCount);
    }

    [Theory]
    [InlineData("", "Une description.")]
    [InlineData("Titre", " ")]
    public void A_chart_without_a_title_or_a_description_is_refused(string title, string description)
    {
        var alternative = new ChartAlternative(title, description, ["Mois"], [["janvier"]]);
        var chart = new ChartBlock("Graphique", 0.5f, (_, _) => { }, alternative);
        var document = new ReportDocument("Rapport", "Sous-titre", "Éditeur", new DateOnly(2026, 11, 16), [new ReportSection("Graphiques", 1, [chart])]);

        var error = Assert.Throws<ArgumentException>(() => new PdfReportWriter().Write(document, new MemoryStream()));
        Assert.Contains("text alternative", error.Message);
    }

    [Fact]
    public void A_chart_without_an_alternative_is_refused()
    {
        var chart = new ChartBlock("Graphique", 0.5f, (_, _) => { }, null!);
        var document = new ReportDocument("Rapport", "Sous-titre", "Éditeur", new DateOnly(2026, 11, 16), [new ReportSection("Graphiques", 1, [chart])]);

        Assert.Throws<ArgumentException>(() => new PdfReportWriter().Write(document, new MemoryStream()));
    }

    /// <summary>Text with lines joined and spaces folded, for phrases that may wrap.</summary>
    private static string Squash(string text) => string.Join(' ', PdfInspection.Fold(text).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
