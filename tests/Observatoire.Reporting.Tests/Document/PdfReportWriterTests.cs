using System.Text.RegularExpressions;
using Observatoire.Reporting.Document;
using Observatoire.Reporting.Document.Layout;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Observatoire.Reporting.Tests.Document;

public sealed class PdfReportWriterTests
{
    private static readonly DateOnly ReportDate = new(2026, 11, 16);

    private const string Filler =
        "Les intervenants sociaux accueillent les personnes repérées par les forces de l’ordre et les orientent vers les services " +
        "compétents ; leur action facilite l’accès au droit des personnes les plus éloignées des institutions.";

    [Fact]
    public void A_cover_and_three_short_chapters_make_five_pages_cover_contents_and_one_page_per_chapter()
    {
        var document = Document(
            new ReportSection("Synthèse", 1, [new ParagraphBlock(Filler)]),
            new ReportSection("Méthodologie", 1, [new ParagraphBlock(Filler)]),
            new ReportSection("Accès au droit", 1, [new ParagraphBlock(Filler)]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            Assert.Equal(5, result.PageCount);
            Assert.Equal(5, pdf.NumberOfPages);
            Assert.Equal([3, 4, 5], result.SectionPages);
            for (var i = 0; i < 3; i++)
            {
                Assert.Contains(document.Sections[i].Title, pdf.GetPage(result.SectionPages[i]).Text);
            }
        }
    }

    [Fact]
    public void Every_section_title_is_printed_as_a_heading_on_the_page_the_result_gives()
    {
        var document = SampleReport.Build();

        var (result, pdf) = Render(document);

        using (pdf)
        {
            Assert.Equal(pdf.NumberOfPages, result.PageCount);
            for (var i = 0; i < document.Sections.Count; i++)
            {
                var section = document.Sections[i];
                Assert.Equal(result.SectionPages[i], HeadingPage(pdf, section.Title));
            }
        }
    }

    [Fact]
    public void The_table_of_contents_lists_chapters_and_subsections_with_the_page_where_their_heading_is_found()
    {
        var document = SampleReport.Build();

        var (_, pdf) = Render(document);

        using (pdf)
        {
            var tocLines = PdfInspection.Lines(pdf.GetPage(2)).Select(l => PdfInspection.Fold(l.Text)).ToList();
            Assert.Contains("Sommaire", tocLines);
            foreach (var section in document.Sections.Where(s => s.Level is 1 or 2))
            {
                var line = Assert.Single(tocLines, l => l.StartsWith(section.Title + " ", StringComparison.Ordinal));
                var printed = int.Parse(Regex.Match(line, @"(\d+)$").Groups[1].Value);
                Assert.Equal(HeadingPage(pdf, section.Title), printed);
            }
        }
    }

    [Fact]
    public void A_document_without_sections_is_a_single_cover_page()
    {
        var (result, pdf) = Render(Document());

        using (pdf)
        {
            Assert.Equal(1, result.PageCount);
            Assert.Equal(1, pdf.NumberOfPages);
            Assert.Empty(result.SectionPages);
        }
    }

    [Fact]
    public void Level_three_sections_are_printed_but_left_out_of_the_table_of_contents()
    {
        var document = Document(
            new ReportSection("Chapitre", 1, [new ParagraphBlock(Filler)]),
            new ReportSection("Sous-partie détaillée", 3, [new ParagraphBlock(Filler)]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            Assert.DoesNotContain("Sous-partie détaillée", pdf.GetPage(2).Text);
            Assert.Contains("Sous-partie détaillée", pdf.GetPage(result.SectionPages[1]).Text);
        }
    }

    [Fact]
    public void Every_page_after_the_cover_has_a_page_k_of_n_footer_and_the_cover_has_none()
    {
        var (result, pdf) = Render(SampleReport.Build());

        using (pdf)
        {
            var n = result.PageCount;
            Assert.DoesNotContain("Page ", pdf.GetPage(1).Text);
            for (var k = 2; k <= n; k++)
            {
                var footer = PdfInspection.Lines(pdf.GetPage(k)).Last().Text;
                Assert.EndsWith($"Page {k} / {n}", footer);
            }
        }
    }

    [Fact]
    public void The_running_header_shows_the_report_title_and_the_current_chapter()
    {
        var document = SampleReport.Build();

        var (result, pdf) = Render(document);

        using (pdf)
        {
            var chapter = document.Sections.Single(s => s.Title == "Données départementales");
            var page = result.SectionPages[document.Sections.ToList().IndexOf(chapter)] + 1;
            var header = PdfInspection.Lines(pdf.GetPage(page)).First().Text;
            Assert.StartsWith("Rapport annuel 2025", header);
            Assert.EndsWith("Données départementales", header);
        }
    }

    [Fact]
    public void A_table_of_the_101_departments_spans_several_pages_with_its_header_repeated_and_every_row_printed_once()
    {
        var table = SampleReport.DepartmentTable();
        var document = Document(new ReportSection("Données départementales", 1, [table]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            var tablePages = Enumerable.Range(result.SectionPages[0], result.PageCount - result.SectionPages[0] + 1).ToList();
            Assert.True(tablePages.Count >= 3, $"expected the table over at least 3 pages, got {tablePages.Count}");
            var rowsSeen = new List<string>();
            foreach (var number in tablePages)
            {
                var lines = PdfInspection.Lines(pdf.GetPage(number)).Select(l => PdfInspection.Fold(l.Text)).ToList();
                var header = lines.FindIndex(l => l.Contains("Code Département Région", StringComparison.Ordinal));
                Assert.True(header >= 0, $"no table header on page {number}");
                var rows = lines.Where(l => SampleReport.Departments.Any(d => l.StartsWith(d.Code + " " + d.Name + " ", StringComparison.Ordinal))).ToList();
                Assert.NotEmpty(rows);
                Assert.True(lines.IndexOf(rows[0]) > header, $"rows above the header on page {number}");
                rowsSeen.AddRange(rows.Select(r => r.Split(' ')[0]));
                if (number > tablePages[0])
                {
                    Assert.Contains(lines, l => l.StartsWith("Tableau 3 – Activité des ISCG par département en 2025 (suite)", StringComparison.Ordinal));
                }
            }

            Assert.Equal(SampleReport.Departments.Select(d => d.Code), rowsSeen);
            var last = PdfInspection.PlainText(pdf.GetPage(tablePages[^1]));
            Assert.Contains("s : valeur couverte par le secret statistique", last);
        }
    }

    [Fact]
    public void A_short_table_is_not_split_even_near_the_bottom_of_a_page()
    {
        var filler = Enumerable.Repeat<ReportBlock>(new ParagraphBlock(Filler), 14).ToList();
        var rows = Enumerable.Range(1, 8).Select(i => (IReadOnlyList<string>)[$"Ligne {i}", i.ToString()]).ToList();
        filler.Add(new TableBlock("Tableau court", ["Libellé", "Valeur"], rows, [ColumnAlignment.Left, ColumnAlignment.Right]));
        var document = Document(new ReportSection("Chapitre", 1, filler));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            var pagesWithRows = Enumerable.Range(3, result.PageCount - 2)
                .Where(p => pdf.GetPage(p).Text.Contains("Ligne ", StringComparison.Ordinal))
                .ToList();
            Assert.Single(pagesWithRows);
            Assert.Contains("Tableau court", pdf.GetPage(pagesWithRows[0]).Text);
        }
    }

    [Fact]
    public void Accented_text_and_french_punctuation_round_trip_through_text_extraction()
    {
        var document = Document(new ReportSection("Accès au droit", 1,
        [
            new ParagraphBlock("Problématiques rencontrées en Île-de-France : « violences », œuvre sociale, à l’été, ça et là ; 12\u202F345 personnes, 6,3\u00A0%."),
            new TableBlock("Répartition par région", ["Région", "Effectif"], [["Île-de-France", "1\u202F204"], ["Provence-Alpes-Côte d’Azur", "987"]],
                [ColumnAlignment.Left, ColumnAlignment.Right]),
        ]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            // Lines joined with a space: the paragraph wraps, and no space glyph is drawn at a line end.
            var text = string.Join(' ', PdfInspection.Lines(pdf.GetPage(result.SectionPages[0])).Select(l => PdfInspection.Fold(l.Text)));
            Assert.Contains("Accès au droit", text);
            Assert.Contains("Problématiques", text);
            Assert.Contains("Île-de-France", text);
            Assert.Contains("« violences »", text);
            Assert.Contains("œuvre sociale, à l’été, ça et là ;", text);
            Assert.Contains("12 345 personnes, 6,3 %.", text);
            Assert.Contains("Provence-Alpes-Côte d’Azur", text);
        }
    }

    [Fact]
    public void The_pdf_metadata_carry_the_title_the_publisher_as_author_and_the_creation_date()
    {
        var document = SampleReport.Build();
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero));

        using var output = new MemoryStream();
        new PdfReportWriter(clock).Write(document, output);
        using var pdf = PdfDocument.Open(output.ToArray());

        Assert.Equal(document.Title, pdf.Information.Title);
        Assert.Equal(document.Publisher, pdf.Information.Author);
        Assert.Equal(document.Subtitle, pdf.Information.Subject);
        Assert.StartsWith("D:20261120", pdf.Information.CreationDate);
    }

    [Fact]
    public void The_cover_shows_title_subtitle_publisher_and_the_month_in_french()
    {
        var (_, pdf) = Render(SampleReport.Build());

        using (pdf)
        {
            var cover = PdfInspection.PlainText(pdf.GetPage(1));
            Assert.Contains("novembre 2026", cover);
            Assert.Contains("Rapport annuel 2025", cover);
            Assert.Contains("données de l’année 2025", cover);
            Assert.Contains("OBSERVATOIRE NATIONAL", cover);
        }
    }

    [Theory]
    [InlineData(1, "janvier 2026")]
    [InlineData(2, "février 2026")]
    [InlineData(8, "août 2026")]
    [InlineData(12, "décembre 2026")]
    public void The_cover_date_is_the_french_month_and_year(int month, string expected) =>
        Assert.Equal(expected, PdfReportWriter.FormatCoverDate(new DateOnly(2026, month, 1)));

    [Fact]
    public void Nothing_is_drawn_outside_the_margins()
    {
        var (result, pdf) = Render(SampleReport.Build());

        using (pdf)
        {
            for (var k = 1; k <= result.PageCount; k++)
            {
                var page = pdf.GetPage(k);
                foreach (var letter in page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)))
                {
                    AssertInsideMargins(letter.BoundingBox.Left, letter.BoundingBox.Right, letter.BoundingBox.Bottom, letter.BoundingBox.Top, $"letter '{letter.Value}' on page {k}");
                }

                foreach (var path in page.Paths)
                {
                    if (path.GetBoundingRectangle() is { } box)
                    {
                        AssertInsideMargins(box.Left, box.Right, box.Bottom, box.Top, $"path on page {k}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_word_longer_than_a_line_is_cut_and_stays_inside_the_margins()
    {
        var word = string.Concat(Enumerable.Repeat("anticonstitutionnellement", 12));
        var document = Document(new ReportSection("Mot très long", 1, [new ParagraphBlock("Avant " + word + " après.")]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            var page = pdf.GetPage(result.SectionPages[0]);
            var letters = page.Letters.Where(l => l.PointSize is > 9 and < 10).ToList();
            Assert.Equal(("Avant" + word + "après.").Length, letters.Count(l => !string.IsNullOrWhiteSpace(l.Value)));
            Assert.All(letters, l => Assert.InRange(l.BoundingBox.Right, ReportTheme.ContentLeft, ReportTheme.ContentRight + 0.5));
            Assert.True(PdfInspection.Lines(page).Count(l => l.FontSize is > 9 and < 10) >= 3);
        }
    }

    [Fact]
    public void A_level_two_heading_is_never_left_alone_at_the_bottom_of_a_page()
    {
        var writer = new PdfReportWriter();
        for (var paragraphs = 8; paragraphs <= 22; paragraphs++)
        {
            var blocks = Enumerable.Range(0, paragraphs).Select(_ => (ReportBlock)new ParagraphBlock(Filler)).ToList();
            var document = Document(
                new ReportSection("Chapitre", 1, blocks),
                new ReportSection("Sous-partie à garder avec son texte", 2, [new ParagraphBlock(Filler + " " + Filler)]));
            using var output = new MemoryStream();
            var result = writer.Write(document, output);
            using var pdf = PdfDocument.Open(output.ToArray());

            var lines = PdfInspection.Lines(pdf.GetPage(result.SectionPages[1]));
            var heading = lines.FindIndex(l => l.Text == "Sous-partie à garder avec son texte");
            var bodyBelow = lines.Skip(heading + 1).Count(l => l.FontSize is > 9 and < 10);
            Assert.True(bodyBelow >= 2, $"with {paragraphs} paragraphs the heading is followed by {bodyBelow} body lines on its page");
        }
    }

    [Fact]
    public void A_page_break_block_starts_a_new_page()
    {
        var document = Document(new ReportSection("Chapitre", 1,
            [new ParagraphBlock("Avant le saut de page."), new PageBreakBlock(), new ParagraphBlock("Après le saut de page.")]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            Assert.Equal(4, result.PageCount);
            Assert.Contains("Après le saut de page.", pdf.GetPage(4).Text);
        }
    }

    [Fact]
    public void Key_figures_print_value_label_change_and_note()
    {
        var document = Document(new ReportSection("Chiffres clés", 1,
        [
            new KeyFiguresBlock(
            [
                new KeyFigure("Personnes reçues", "48\u202F512", "+6,3\u00A0% sur un an", "Données provisoires"),
                new KeyFigure("Postes d’ISCG", "412", "+27 postes"),
            ]),
        ]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            var text = PdfInspection.PlainText(pdf.GetPage(result.SectionPages[0]));
            foreach (var expected in new[] { "48 512", "Personnes reçues", "+6,3 % sur un an", "Données provisoires", "412", "Postes d’ISCG", "+27 postes" })
            {
                Assert.Contains(expected, text);
            }
        }
    }

    [Fact]
    public void A_chart_draws_once_into_a_rectangle_of_the_content_width_with_the_canvas_moved_to_it()
    {
        var calls = new List<(SKRect Rect, SKMatrix Matrix)>();
        var chart = new ChartBlock("Graphique 1 – Essai", 0.5f, (canvas, rect) =>
        {
            calls.Add((rect, canvas.TotalMatrix));
            using var paint = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(rect, paint);
        }, SampleReport.Alternative("Essai"));
        var document = Document(new ReportSection("Graphiques", 1, [chart, new ParagraphBlock("Texte après le graphique.")]));

        var (result, pdf) = Render(document);

        using (pdf)
        {
            var (rect, matrix) = Assert.Single(calls);
            Assert.Equal(0, rect.Left);
            Assert.Equal(0, rect.Top);
            Assert.Equal(ReportTheme.ContentWidth, rect.Width, 0.01f);
            Assert.Equal(ReportTheme.ContentWidth * 0.5f, rect.Height, 0.01f);
            Assert.Equal(ReportTheme.ContentLeft, matrix.TransX, 0.01f);
            var lines = PdfInspection.Lines(pdf.GetPage(result.SectionPages[0]));
            var caption = lines.Single(l => l.Text == "Graphique 1 – Essai");
            var after = lines.Single(l => l.Text == "Texte après le graphique.");
            Assert.True(caption.Baseline > after.Baseline, "the caption is printed below the chart, before the next block");
            var captionLetter = pdf.GetPage(result.SectionPages[0]).Letters.First(l => l.Value == "G");
            Assert.Equal(ReportTheme.ContentLeft, captionLetter.StartBaseLine.X, 1.0);
        }
    }

    [Fact]
    public void A_chart_too_tall_for_a_page_is_shrunk_keeping_its_aspect_ratio()
    {
        SKRect drawn = default;
        var chart = new ChartBlock("Graphique haut", 3f, (_, rect) => drawn = rect, SampleReport.Alternative("Graphique haut"));

        Render(Document(new ReportSection("Graphiques", 1, [chart]))).Pdf.Dispose();

        Assert.True(drawn.Height <= ReportTheme.BodyHeight);
        Assert.Equal(3f, drawn.Height / drawn.Width, 0.001f);
    }

    [Fact]
    public void A_failing_chart_is_reported_with_its_caption()
    {
        var chart = new ChartBlock("Graphique défectueux", 0.5f, (_, _) => throw new InvalidDataException("série vide"), SampleReport.Alternative("Graphique défectueux"));
        var document = Document(new ReportSection("Graphiques", 1, [chart]));

        var error = Assert.Throws<InvalidOperationException>(() => new PdfReportWriter().Write(document, new MemoryStream()));

        Assert.Contains("Graphique défectueux", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public void Progress_counts_sections_then_pages_in_french()
    {
        var reports = new List<ReportProgress>();
        var document = SampleReport.Build();

        using var output = new MemoryStream();
        var result = new PdfReportWriter().Write(document, output, new SynchronousProgress(reports.Add));

        // The sections, then the annex of chart data the writer adds.
        Assert.Equal(document.Sections.Count + 1, reports.Max(r => r.SectionsDone));
        Assert.All(reports, r => Assert.Equal(document.Sections.Count + 1, r.TotalSections));
        var pages = reports.Where(r => r.PagesWritten > 0).Select(r => r.PagesWritten).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, result.PageCount), pages);
        Assert.Contains(reports, r => r.Message == $"Écriture de la page 3 sur {result.PageCount}");
        Assert.Equal($"Rapport terminé : {result.PageCount} pages", reports[^1].Message);
    }

    [Fact]
    public void Cancelling_stops_the_writer()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.PagesWritten == 2)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new PdfReportWriter().Write(SampleReport.Build(), new MemoryStream(), progress, cancellation.Token));
    }

    [Fact]
    public void A_table_row_with_the_wrong_number_of_cells_is_rejected()
    {
        var table = new TableBlock("Tableau bancal", ["A", "B"], [["1", "2"], ["3"]]);
        var document = Document(new ReportSection("Chapitre", 1, [table]));

        var error = Assert.Throws<ArgumentException>(() => new PdfReportWriter().Write(document, new MemoryStream()));

        Assert.Contains("Row 2", error.Message);
    }

    [Fact]
    public void The_output_stream_is_left_open()
    {
        using var output = new MemoryStream();

        new PdfReportWriter().Write(Document(new ReportSection("Chapitre", 1, [new ParagraphBlock(Filler)])), output);

        Assert.True(output.CanWrite);
        Assert.True(output.Length > 0);
    }

    private static void AssertInsideMargins(double left, double right, double bottom, double top, string what)
    {
        const double tolerance = 0.5;
        Assert.True(left >= ReportTheme.MarginLeft - tolerance && right <= ReportTheme.PageWidth - ReportTheme.MarginRight + tolerance,
            $"{what} is outside the left/right margins: {left:F1}..{right:F1}");
        Assert.True(bottom >= ReportTheme.MarginBottom - tolerance && top <= ReportTheme.PageHeight - ReportTheme.MarginTop + tolerance,
            $"{what} is outside the top/bottom margins: {bottom:F1}..{top:F1}");
    }

    /// <summary>The first page after the table of contents where the title is printed in a heading size.</summary>
    private static int HeadingPage(PdfDocument pdf, string title)
    {
        for (var k = 3; k <= pdf.NumberOfPages; k++)
        {
            if (PdfInspection.Lines(pdf.GetPage(k)).Any(l => l.Text == title && l.FontSize >= 10))
            {
                return k;
            }
        }

        return -1;
    }

    private static ReportDocument Document(params ReportSection[] sections) =>
        new("Rapport d’essai", "Sous-titre d’essai", "Observatoire national des ISCG", ReportDate, sections);

    private static (ReportResult Result, PdfDocument Pdf) Render(ReportDocument document)
    {
        using var output = new MemoryStream();
        var result = new PdfReportWriter().Write(document, output);
        return (result, PdfDocument.Open(output.ToArray()));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class SynchronousProgress(Action<ReportProgress> report) : IProgress<ReportProgress>
    {
        public void Report(ReportProgress value) => report(value);
    }
}
