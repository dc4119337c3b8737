using System.Text;
using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// Renders the published charts: a title and subtitle at the top, one or more ScottPlot plots in
/// the middle, the footnotes (partial figures, secrecy, source and period) at the bottom.
/// PNG and SVG come out at <see cref="ChartFrame.Width"/> × <see cref="ChartFrame.Height"/> pixels;
/// <see cref="Draw(Chart, SKCanvas, SKRect)"/> draws the same chart as vectors into any canvas
/// (the PDF writer's).
/// </summary>
public static class ChartRenderer
{
    /// <summary>
    /// Default rectangle units per layout pixel for <see cref="Draw(Chart, SKCanvas, SKRect)"/>:
    /// with a PDF canvas in points, 12 px tick labels come out at 7.5 pt and the 20 px title at 12.5 pt.
    /// </summary>
    public const float PrintScale = 0.625f;

    /// <summary>Charts are never laid out narrower than this many pixels (text would not fit).</summary>
    private const float MinimumLayoutWidth = 480f;

    private const float Margin = 16f;

    /// <summary>Height over width of the chart as framed (for <c>ChartBlock.AspectRatio</c>).</summary>
    public static float AspectRatio(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return chart.Frame.Height / (float)chart.Frame.Width;
    }

    /// <summary>The chart as a PNG image of exactly Frame.Width × Frame.Height pixels, white background.</summary>
    public static byte[] RenderPng(Chart chart)
    {
        var (width, height) = CheckedSize(chart);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"Cannot create a {width}×{height} raster surface.");
        surface.Canvas.Clear(SKColors.White);
        Draw(chart, surface.Canvas, new SKRect(0, 0, width, height), 1f);
        surface.Canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The chart as an SVG document (UTF-8 text) of Frame.Width × Frame.Height; text stays text.</summary>
    public static string RenderSvg(Chart chart) => Encoding.UTF8.GetString(RenderSvgBytes(chart));

    /// <summary>The chart as SVG, UTF-8 bytes.</summary>
    public static byte[] RenderSvgBytes(Chart chart)
    {
        var (width, height) = CheckedSize(chart);
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            Draw(chart, canvas, new SKRect(0, 0, width, height), 1f);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Draws the chart as vectors into <paramref name="rect"/> of <paramref name="canvas"/>, at
    /// <see cref="PrintScale"/> (meant for a PDF canvas in points). The chart is laid out for the
    /// rectangle's aspect ratio, fills it with a white background and draws nothing outside it.
    /// </summary>
    public static void Draw(Chart chart, SKCanvas canvas, SKRect rect) => Draw(chart, canvas, rect, PrintScale);

    /// <summary>
    /// Draws the chart into <paramref name="rect"/>, with <paramref name="scale"/> rectangle units
    /// per layout pixel (1 draws at pixel size, as <see cref="RenderPng"/> does).
    /// </summary>
    public static void Draw(Chart chart, SKCanvas canvas, SKRect rect, float scale)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(canvas);
        if (rect.Width <= 0 || rect.Height <= 0)
        {
            return;
        }

        if (!(scale > 0) || !float.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be a positive number.");
        }

        var width = rect.Width / scale;
        if (width < MinimumLayoutWidth)
        {
            width = MinimumLayoutWidth;
            scale = rect.Width / width;
        }

        var height = rect.Height / scale;

        canvas.Save();
        try
        {
            canvas.ClipRect(rect);
            canvas.Translate(rect.Left, rect.Top);
            canvas.Scale(scale);
            Compose(CreateFigure(chart), canvas, width, height);
        }
        finally
        {
            canvas.Restore();
        }
    }

    /// <summary>The figure (title, notes, plots) for a chart.</summary>
    internal static ChartFigure CreateFigure(Chart chart) => chart switch
    {
        TimeSeriesChart c => new TimeSeriesFigure(c),
        RankingChart c => new RankingFigure(c),
        BreakdownChart c => new BreakdownFigure(c),
        PyramidChart c => new PyramidFigure(c),
        CompletenessHeatmap c => new HeatmapFigure(c),
        FranceMap c => new MapFigure(c),
        _ => throw new NotSupportedException($"No renderer for {chart.GetType().Name}."),
    };

    /// <summary>Lays out and draws a figure in a width × height layout-pixel box at the canvas origin.</summary>
    internal static IReadOnlyList<PlacedPlot> Compose(ChartFigure figure, SKCanvas canvas, float width, float height)
    {
        using (var background = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Fill })
        {
            canvas.DrawRect(0, 0, width, height, background);
        }

        var textWidth = width - (2 * Margin);
        var y = Margin;

        using var titleFont = new SKFont(ChartStyle.Bold, ChartStyle.TitleSize) { Subpixel = true };
        using var subtitleFont = new SKFont(ChartStyle.Regular, ChartStyle.SubtitleSize) { Subpixel = true };
        using var noteFont = new SKFont(ChartStyle.Regular, ChartStyle.NoteSize) { Subpixel = true };
        using var textPaint = new SKPaint { Color = ChartStyle.ToSk(ChartStyle.Text), IsAntialias = true };
        using var mutedPaint = new SKPaint { Color = ChartStyle.ToSk(ChartStyle.MutedText), IsAntialias = true };

        y = DrawParagraph(canvas, figure.Frame.Title, titleFont, textPaint, Margin, y, textWidth, 1.2f);
        if (!string.IsNullOrWhiteSpace(figure.Subtitle))
        {
            y += 2;
            y = DrawParagraph(canvas, figure.Subtitle, subtitleFont, mutedPaint, Margin, y, textWidth, 1.25f);
        }

        y += 8;

        var footer = new List<string>(figure.Notes) { SourceLine(figure.Frame) };
        var footerLines = footer.SelectMany(n => TextLayout.Wrap(n, noteFont, textWidth)).ToList();
        var noteLineHeight = ChartStyle.NoteSize * 1.3f;
        var footerHeight = footerLines.Count * noteLineHeight;
        var footerTop = height - Margin - footerHeight;

        var body = new SKRect(Margin / 2, y, width - (Margin / 2), Math.Max(y + 40, footerTop - 12));
        var placed = figure.Build(body);
        foreach (var p in placed)
        {
            // No clip to the plot's own rectangle: ScottPlot's bottom legend panel draws a few
            // pixels past it (the body keeps a margin for that); Draw clips to the chart.
            canvas.Save();
            p.Plot.Render(canvas, p.Rect);
            canvas.Restore();
        }

        figure.DrawOverlay(canvas, body, placed);

        var lineTop = footerTop;
        foreach (var line in footerLines)
        {
            canvas.DrawText(line, Margin, lineTop + ChartStyle.NoteSize, noteFont, mutedPaint);
            lineTop += noteLineHeight;
        }

        return placed;
    }

    /// <summary>"Source : …. Période : …."</summary>
    internal static string SourceLine(ChartFrame frame)
    {
        var source = frame.Source.Trim().TrimEnd('.');
        var period = frame.PeriodLabel.Trim().TrimEnd('.');
        if (period.Length == 0)
        {
            return source + ".";
        }

        return source.Length == 0 ? $"Période : {period}." : $"{source}. Période : {period}.";
    }

    private static float DrawParagraph(SKCanvas canvas, string text, SKFont font, SKPaint paint, float x, float y, float width, float lineSpacing)
    {
        foreach (var line in TextLayout.Wrap(text, font, width))
        {
            canvas.DrawText(line, x, y + font.Size, font, paint);
            y += font.Size * lineSpacing;
        }

        return y;
    }

    private static (int Width, int Height) CheckedSize(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var f = chart.Frame;
        if (f.Width <= 0 || f.Height <= 0 || f.Width > 20000 || f.Height > 20000)
        {
            throw new ArgumentOutOfRangeException(nameof(chart), $"Invalid chart size {f.Width}×{f.Height}.");
        }

        return (f.Width, f.Height);
    }
}
