using Observatoire.Reporting.Document.Layout;
using Observatoire.Reporting.Document.Pdf;
using SkiaSharp;

namespace Observatoire.Reporting.Document;

/// <summary>
/// Prints a <see cref="ReportDocument"/> as an A4 PDF: cover, table of contents, then the sections,
/// then, when there are charts, the annex of their data, with running header and "Page k / n" footer.
/// Layout is done in full before drawing so that page numbers (footer, table of contents, outline)
/// are known. The PDF declares the document's language and has a bookmarks outline mirroring the
/// table of contents, appended to SkiaSharp's output as an incremental update.
/// </summary>
public sealed class PdfReportWriter
{
    private const string TocTitle = "Sommaire";

    private static readonly string[] FrenchMonths =
    [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ];

    private readonly TimeProvider _time;

    /// <param name="timeProvider">Clock for the PDF creation date (system clock by default).</param>
    public PdfReportWriter(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>The date as printed on the cover, e.g. "novembre 2026".</summary>
    public static string FormatCoverDate(DateOnly date) => $"{FrenchMonths[date.Month - 1]} {date.Year}";

    /// <summary>Writes the PDF to <paramref name="output"/> (left open) and returns the page numbers.</summary>
    /// <exception cref="ArgumentException">The document is invalid (empty title, section level below 1, table row of the wrong width...).</exception>
    /// <exception cref="InvalidOperationException">The DejaVu fonts are not installed, or a chart failed to draw.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; what was written to the stream is not a usable PDF.</exception>
    public ReportResult Write(ReportDocument document, Stream output, IProgress<ReportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream is not writable.", nameof(output));
        }

        Validate(document);
        ct.ThrowIfCancellationRequested();

        using var theme = new ReportTheme();
        var chartNumbers = ChartDataAnnex.Number(document.Sections);
        IReadOnlyList<ReportSection> sections = ChartDataAnnex.Section(chartNumbers) is { } annex ? [.. document.Sections, annex] : document.Sections;
        var sectionPages = new int[sections.Count];

        // Pass 1: the table of contents. Its length does not depend on the numbers it will show.
        var toc = LayoutTableOfContents(sections, theme, sectionPages);

        // Pass 2: the sections.
        var body = new PageComposer();
        var bodyPageIndex = new int[sections.Count];
        for (var i = 0; i < sections.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            bodyPageIndex[i] = LayoutSection(sections[i], theme, body, chartNumbers);
            progress?.Report(new ReportProgress(0, 0, i + 1, sections.Count,
                $"Mise en page : section {i + 1} sur {sections.Count} ({sections[i].Title})"));
        }

        var firstBodyPage = 2 + toc.Pages.Count;
        for (var i = 0; i < sections.Count; i++)
        {
            sectionPages[i] = firstBodyPage + bodyPageIndex[i];
        }

        var pages = new List<PageLayout>(toc.Pages.Count + body.Pages.Count);
        pages.AddRange(toc.Pages);
        pages.AddRange(body.Pages);
        var total = 1 + pages.Count;

        // Pass 3: drawing.
        var metadata = new SKDocumentPdfMetadata
        {
            Title = document.Title,
            Author = document.Publisher,
            Subject = document.Subtitle,
            Creator = "Observatoire national des ISCG",
            Creation = _time.GetUtcNow().UtcDateTime,
            Modified = _time.GetUtcNow().UtcDateTime,
        };
        // SkiaSharp writes into a buffer: the language and the outline are appended to it as an update before it is copied out.
        var buffer = output is MemoryStream { Length: 0, Position: 0 } memory && memory.TryGetBuffer(out _) ? memory : new MemoryStream();
        using var pdf = SKDocument.CreatePdf(buffer, metadata)
            ?? throw new InvalidOperationException("SkiaSharp could not create a PDF document on the output stream.");
        try
        {
            ct.ThrowIfCancellationRequested();
            DrawCover(pdf.BeginPage(ReportTheme.PageWidth, ReportTheme.PageHeight), document, theme);
            pdf.EndPage();
            Report(progress, 1, total, sections.Count);
            for (var p = 0; p < pages.Count; p++)
            {
                ct.ThrowIfCancellationRequested();
                var canvas = pdf.BeginPage(ReportTheme.PageWidth, ReportTheme.PageHeight);
                foreach (var operation in pages[p].Operations)
                {
                    operation(canvas);
                }

                DrawRunningHeaderAndFooter(canvas, document, pages[p].RunningTitle, p + 2, total, theme);
                pdf.EndPage();
                Report(progress, p + 2, total, sections.Count);
            }

            pdf.Close();
        }
        catch
        {
            pdf.Abort();
            throw;
        }

        ct.ThrowIfCancellationRequested();
        SubsetFonts(buffer);
        AppendNavigation(buffer, document.Language, Outline(sections, sectionPages));
        if (!ReferenceEquals(buffer, output))
        {
            buffer.Position = 0;
            buffer.CopyTo(output);
        }

        progress?.Report(new ReportProgress(total, total, sections.Count, sections.Count, $"Rapport terminé : {total} pages"));
        var annexPage = sections.Count > document.Sections.Count ? sectionPages[^1] : (int?)null;
        return new ReportResult(total, sectionPages[..document.Sections.Count], annexPage);
    }

    /// <summary>The outline mirrors the table of contents: chapters, each with its level 2 sections.</summary>
    private static List<PdfOutlineEntry> Outline(IReadOnlyList<ReportSection> sections, IReadOnlyList<int> sectionPages)
    {
        var top = new List<(PdfOutlineEntry Entry, List<PdfOutlineEntry> Children)>();
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            if (section.Level == 1 || (section.Level == 2 && top.Count == 0))
            {
                var children = new List<PdfOutlineEntry>();
                top.Add((new PdfOutlineEntry(section.Title, sectionPages[i], children), children));
            }
            else if (section.Level == 2)
            {
                top[^1].Children.Add(new PdfOutlineEntry(section.Title, sectionPages[i], []));
            }
        }

        return [.. top.Select(t => t.Entry)];
    }

    /// <summary>The fonts cut to the glyphs drawn (SkiaSharp embeds them whole), when the file is one that <see cref="PdfFontSubsetting"/> reads.</summary>
    private static void SubsetFonts(MemoryStream pdf)
    {
        if (PdfFontSubsetting.Apply(new ReadOnlyMemory<byte>(pdf.GetBuffer(), 0, (int)pdf.Length)) is { } smaller)
        {
            pdf.SetLength(0);
            pdf.Write(smaller);
        }
    }

    private static void AppendNavigation(MemoryStream pdf, string language, IReadOnlyList<PdfOutlineEntry> outline)
    {
        var written = new ReadOnlyMemory<byte>(pdf.GetBuffer(), 0, (int)pdf.Length);
        var update = PdfNavigationUpdate.Build(written, language, outline);
        pdf.Seek(0, SeekOrigin.End);
        pdf.Write(update);
    }

    private static void Report(IProgress<ReportProgress>? progress, int page, int total, int sections) =>
        progress?.Report(new ReportProgress(page, total, sections, sections, $"Écriture de la page {page} sur {total}"));

    private static void Validate(ReportDocument document)
    {
        if (string.IsNullOrWhiteSpace(document.Title))
        {
            throw new ArgumentException("The report has no title.", nameof(document));
        }

        if (document.Sections is null)
        {
            throw new ArgumentException("The report has no section list.", nameof(document));
        }

        for (var i = 0; i < document.Sections.Count; i++)
        {
            var section = document.Sections[i];
            if (section is null)
            {
                throw new ArgumentException($"Section {i + 1} is null.", nameof(document));
            }

            if (section.Level < 1)
            {
                throw new ArgumentException($"Section {i + 1} \"{section.Title}\" has level {section.Level}; levels start at 1.", nameof(document));
            }

            if (section.Blocks is null)
            {
                throw new ArgumentException($"Section {i + 1} \"{section.Title}\" has no block list.", nameof(document));
            }

            foreach (var chart in section.Blocks.OfType<ChartBlock>())
            {
                // Every chart has a text alternative: a description printed under it and its data in the annex.
                if (chart.Alternative is not { } alternative || string.IsNullOrWhiteSpace(alternative.Title) || string.IsNullOrWhiteSpace(alternative.Description)
                    || alternative.Headers is not { Count: > 0 } || alternative.Rows is null)
                {
                    throw new ArgumentException($"The chart \"{chart.Caption}\" in section \"{section.Title}\" has no text alternative (title, description and data table).", nameof(document));
                }
            }
        }
    }

    /// <summary>Lays out one section and returns the body page index of its heading.</summary>
    private static int LayoutSection(ReportSection section, ReportTheme theme, PageComposer composer, IReadOnlyDictionary<ChartBlock, int> chartNumbers)
    {
        var flows = section.Blocks.Select(b => BlockFlow.Create(b, theme, chartNumbers)).ToList();
        var lead = flows.Count > 0 ? flows[0].LeadHeight : 0;
        int page;
        if (section.Level == 1)
        {
            composer.RunningTitle = section.Title;
            composer.NewPageUnlessEmpty();
            page = composer.PageIndex;
            PlaceChapterHeading(composer, section.Title, theme.H1);
        }
        else
        {
            var style = section.Level == 2 ? theme.H2 : theme.H3;
            var lines = TextLayout.Wrap(section.Title, style, ReportTheme.ContentWidth);
            var height = lines.Count * style.LineHeight;
            if (section.StartsNewPage)
            {
                composer.NewPageUnlessEmpty();
            }
            else
            {
                composer.Space(section.Level == 2 ? 18 : 12);
            }

            // Keep the heading with the start of what follows it.
            composer.KeepTogether(height + 12 + lead);
            page = composer.PageIndex;
            composer.Place(height, (canvas, top) =>
                TextLayout.DrawLines(canvas, lines, 0, lines.Count, style, ReportTheme.ContentLeft, top, ReportTheme.ContentWidth, TextAlign.Left));
            composer.Space(section.Level == 2 ? 7 : 5);
        }

        foreach (var flow in flows)
        {
            flow.Flow(composer);
        }

        return page;
    }

    /// <summary>A level 1 heading at the top of a page, with a rule under it.</summary>
    private static void PlaceChapterHeading(PageComposer composer, string title, TextStyle style)
    {
        var lines = TextLayout.Wrap(title, style, ReportTheme.ContentWidth);
        var height = lines.Count * style.LineHeight + 8;
        composer.Place(height, (canvas, top) =>
        {
            TextLayout.DrawLines(canvas, lines, 0, lines.Count, style, ReportTheme.ContentLeft, top, ReportTheme.ContentWidth, TextAlign.Left);
            using var rule = ReportTheme.Fill(ReportTheme.Accent);
            canvas.DrawRect(ReportTheme.ContentLeft, top + height - 2f, 48f, 2f, rule);
        });
        composer.Space(18);
    }

    private static PageComposer LayoutTableOfContents(IReadOnlyList<ReportSection> sections, ReportTheme theme, int[] sectionPages)
    {
        var composer = new PageComposer { RunningTitle = TocTitle };
        var entries = sections
            .Select((s, i) => (Section: s, Index: i))
            .Where(e => e.Section.Level is 1 or 2)
            .ToList();
        if (entries.Count == 0)
        {
            return composer;
        }

        composer.NewPage();
        PlaceChapterHeading(composer, TocTitle, theme.H1);
        var numberColumn = theme.TocLevel1.Measure("0000");
        var heights = new float[entries.Count];
        var layouts = new List<TextLine>[entries.Count];
        for (var e = 0; e < entries.Count; e++)
        {
            var (style, indent) = TocStyle(entries[e].Section.Level, theme);
            layouts[e] = TextLayout.Wrap(entries[e].Section.Title, style, ReportTheme.ContentWidth - indent - numberColumn - 16);
            heights[e] = layouts[e].Count * style.LineHeight;
        }

        for (var e = 0; e < entries.Count; e++)
        {
            var (section, index) = entries[e];
            var (style, indent) = TocStyle(section.Level, theme);
            var lines = layouts[e];
            var height = heights[e];
            composer.Space(section.Level == 1 ? 10 : 2.5f);
            // A chapter entry stays with its first subsection.
            var keep = section.Level == 1 && e + 1 < entries.Count && entries[e + 1].Section.Level == 2 ? height + 2.5f + heights[e + 1] : height;
            composer.KeepTogether(keep);
            composer.Place(height, (canvas, top) =>
            {
                var left = ReportTheme.ContentLeft + indent;
                TextLayout.DrawLines(canvas, lines, 0, lines.Count, style, left, top, ReportTheme.ContentWidth - indent, TextAlign.Left);
                var lastTop = top + (lines.Count - 1) * style.LineHeight;
                var number = sectionPages[index].ToString(System.Globalization.CultureInfo.InvariantCulture);
                var numberWidth = style.Measure(number);
                DrawLeader(canvas, left + lines[^1].Width + 5, ReportTheme.ContentRight - numberColumn - 2, lastTop + style.BaselineOffset);
                TextLayout.DrawText(canvas, number, style, ReportTheme.ContentRight - numberWidth, lastTop, numberWidth, TextAlign.Left);
            });
        }

        return composer;
    }

    private static (TextStyle Style, float Indent) TocStyle(int level, ReportTheme theme) =>
        level == 1 ? (theme.TocLevel1, 0f) : (theme.TocLevel2, 16f);

    /// <summary>
    /// Dotted leader on a fixed grid (dots line up from one entry to the next): one call for the whole leader, each dot
    /// a zero-length stroke with a round cap (in the PDF a moveto and a stroke, not a circle of four curves drawn on its own).
    /// </summary>
    private static void DrawLeader(SKCanvas canvas, float from, float to, float baseline)
    {
        const float step = 3.6f;
        const float radius = 0.55f;
        if (to < from)
        {
            return;
        }

        var dots = new SKPoint[(int)((to - from) / step) + 1];
        for (var i = 0; i < dots.Length; i++)
        {
            dots[i] = new SKPoint(to - i * step, baseline - 0.75f);
        }

        using var dot = ReportTheme.Stroke(ReportTheme.Leader, 2 * radius);
        dot.StrokeCap = SKStrokeCap.Round;
        canvas.DrawPoints(SKPointMode.Points, dots, dot);
    }

    private static void DrawCover(SKCanvas canvas, ReportDocument document, ReportTheme theme)
    {
        const float left = ReportTheme.ContentLeft;
        const float width = ReportTheme.ContentWidth;

        using (var accent = ReportTheme.Fill(ReportTheme.Accent))
        {
            canvas.DrawRect(left, ReportTheme.MarginTop, 56f, 5f, accent);
        }

        var publisher = TextLayout.Wrap((document.Publisher ?? string.Empty).ToUpperInvariant(), theme.CoverPublisher, width);
        TextLayout.DrawLines(canvas, publisher, 0, publisher.Count, theme.CoverPublisher, left, ReportTheme.MarginTop + 16f, width, TextAlign.Left);

        // Title panel.
        const float panelTop = 250f;
        const float padX = 30f;
        const float padY = 36f;
        var inner = width - 2 * padX;
        var title = TextLayout.Wrap(document.Title, theme.CoverTitle, inner);
        var subtitle = string.IsNullOrWhiteSpace(document.Subtitle) ? [] : TextLayout.Wrap(document.Subtitle, theme.CoverSubtitle, inner);
        var titleHeight = title.Count * theme.CoverTitle.LineHeight;
        var subtitleHeight = subtitle.Count * theme.CoverSubtitle.LineHeight;
        var panelHeight = padY + titleHeight + (subtitle.Count > 0 ? 40f + subtitleHeight : 0) + padY;
        using (var tint = ReportTheme.Fill(ReportTheme.AccentTint))
        using (var accent = ReportTheme.Fill(ReportTheme.Accent))
        {
            canvas.DrawRect(left, panelTop, width, panelHeight, tint);
            canvas.DrawRect(left, panelTop, 5f, panelHeight, accent);
            var y = panelTop + padY;
            TextLayout.DrawLines(canvas, title, 0, title.Count, theme.CoverTitle, left + padX, y, inner, TextAlign.Left);
            y += titleHeight;
            if (subtitle.Count > 0)
            {
                canvas.DrawRect(left + padX, y + 18f, 48f, 2.5f, accent);
                y += 40f;
                TextLayout.DrawLines(canvas, subtitle, 0, subtitle.Count, theme.CoverSubtitle, left + padX, y, inner, TextAlign.Left);
            }
        }

        // Date at the foot of the page.
        var dateTop = ReportTheme.PageHeight - ReportTheme.MarginBottom - theme.CoverDate.LineHeight;
        using (var rule = ReportTheme.Stroke(ReportTheme.Hairline, 0.6f))
        {
            canvas.DrawLine(left, dateTop - 12f, ReportTheme.ContentRight, dateTop - 12f, rule);
        }

        TextLayout.DrawText(canvas, FormatCoverDate(document.Date), theme.CoverDate, left, dateTop, width, TextAlign.Left);
    }

    private static void DrawRunningHeaderAndFooter(SKCanvas canvas, ReportDocument document, string? runningTitle, int page, int total, ReportTheme theme)
    {
        const float left = ReportTheme.ContentLeft;
        const float width = ReportTheme.ContentWidth;
        using var rule = ReportTheme.Stroke(ReportTheme.Hairline, 0.5f);

        var title = TextLayout.Truncate(document.Title, theme.Running, width * 0.5f);
        TextLayout.DrawText(canvas, title, theme.Running, left, ReportTheme.HeaderTop, width, TextAlign.Left);
        if (!string.IsNullOrWhiteSpace(runningTitle))
        {
            var room = width - theme.Running.Measure(title) - 24f;
            var section = TextLayout.Truncate(runningTitle, theme.RunningStrong, room);
            TextLayout.DrawText(canvas, section, theme.RunningStrong, left, ReportTheme.HeaderTop, width, TextAlign.Right);
        }

        canvas.DrawLine(left, ReportTheme.HeaderRuleY, ReportTheme.ContentRight, ReportTheme.HeaderRuleY, rule);

        canvas.DrawLine(left, ReportTheme.FooterRuleY, ReportTheme.ContentRight, ReportTheme.FooterRuleY, rule);
        var pageLabel = FormattableString.Invariant($"Page {page} / {total}");
        var pageWidth = theme.RunningStrong.Measure(pageLabel);
        var publisher = TextLayout.Truncate(document.Publisher, theme.Running, width - pageWidth - 24f);
        TextLayout.DrawText(canvas, publisher, theme.Running, left, ReportTheme.FooterTop, width, TextAlign.Left);
        TextLayout.DrawText(canvas, pageLabel, theme.RunningStrong, left, ReportTheme.FooterTop, width, TextAlign.Right);
    }
}
