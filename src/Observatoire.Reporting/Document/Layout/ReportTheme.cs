using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>Page geometry, colours and text styles of the printed report (A4 portrait, DejaVu Sans).</summary>
internal sealed class ReportTheme : IDisposable
{
    public const float PageWidth = 595f;
    public const float PageHeight = 842f;

    /// <summary>Margins: nothing, header and footer included, is drawn outside them.</summary>
    public const float MarginLeft = 57f;
    public const float MarginRight = 57f;
    public const float MarginTop = 40f;
    public const float MarginBottom = 40f;

    public const float ContentLeft = MarginLeft;
    public const float ContentRight = PageWidth - MarginRight;
    public const float ContentWidth = ContentRight - ContentLeft;

    /// <summary>Running header: one small line at the top margin, a hairline under it.</summary>
    public const float HeaderTop = MarginTop;
    public const float HeaderRuleY = MarginTop + 14f;

    /// <summary>Body area between the running header and the footer.</summary>
    public const float BodyTop = MarginTop + 36f;
    public const float BodyBottom = PageHeight - MarginBottom - 36f;
    public const float BodyHeight = BodyBottom - BodyTop;

    /// <summary>Footer: a hairline, then one small line ending at the bottom margin.</summary>
    public const float FooterRuleY = PageHeight - MarginBottom - 16f;
    public const float FooterTop = PageHeight - MarginBottom - 10f;

    // "Bleu France" and neutrals of the French State graphic charter.
    public static readonly SKColor Accent = new(0x00, 0x00, 0x91);
    public static readonly SKColor AccentSoft = new(0xE3, 0xE3, 0xFD);
    public static readonly SKColor AccentTint = new(0xF5, 0xF5, 0xFE);
    public static readonly SKColor Ink = new(0x16, 0x16, 0x16);
    public static readonly SKColor Muted = new(0x5E, 0x5E, 0x5E);
    public static readonly SKColor Hairline = new(0xC8, 0xC8, 0xC8);
    public static readonly SKColor Zebra = new(0xF3, 0xF3, 0xF6);
    public static readonly SKColor Leader = new(0x9A, 0x9A, 0x9A);

    private readonly List<TextStyle> _styles = [];

    public ReportTheme()
    {
        Regular = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Normal);
        try
        {
            Bold = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Bold);
        }
        catch
        {
            Regular.Dispose();
            throw;
        }

        // Sizes are in eighths of a point, which keeps a line one string in the PDF (see TextStyle).
        CoverTitle = Style(Bold, 25f, Accent, 31f);
        CoverSubtitle = Style(Regular, 13f, Ink, 18f);
        CoverPublisher = Style(Bold, 9.5f, Accent, 13f);
        CoverDate = Style(Bold, 11f, Ink, 15f);
        H1 = Style(Bold, 17f, Accent, 22f);
        H2 = Style(Bold, 12f, Accent, 16f);
        H3 = Style(Bold, 10f, Ink, 14f);
        Body = Style(Regular, 9.5f, Ink, 14f);
        Note = Style(Regular, 8f, Muted, 11f);
        Caption = Style(Bold, 8.5f, Ink, 11.5f);
        CaptionContinued = Style(Regular, 8.5f, Muted, 11.5f);
        TableText = Style(Regular, 7.625f, Ink, 10f);
        TableHeader = Style(Bold, 7.625f, SKColors.White, 10f);
        TableFootnote = Style(Regular, 7.25f, Muted, 9.5f);
        KeyValue = Style(Bold, 19f, Accent, 23f);
        KeyLabel = Style(Regular, 8.5f, Ink, 11f);
        KeyChange = Style(Bold, 8f, Ink, 10.5f);
        KeyNote = Style(Regular, 7.25f, Muted, 9.5f);
        Running = Style(Regular, 7.5f, Muted, 10f);
        RunningStrong = Style(Bold, 7.5f, Ink, 10f);
        TocLevel1 = Style(Bold, 10f, Ink, 14f);
        TocLevel2 = Style(Regular, 9f, Ink, 12.5f);
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    public TextStyle CoverTitle { get; }

    public TextStyle CoverSubtitle { get; }

    public TextStyle CoverPublisher { get; }

    public TextStyle CoverDate { get; }

    public TextStyle H1 { get; }

    public TextStyle H2 { get; }

    public TextStyle H3 { get; }

    public TextStyle Body { get; }

    public TextStyle Note { get; }

    public TextStyle Caption { get; }

    public TextStyle CaptionContinued { get; }

    public TextStyle TableText { get; }

    public TextStyle TableHeader { get; }

    public TextStyle TableFootnote { get; }

    public TextStyle KeyValue { get; }

    public TextStyle KeyLabel { get; }

    public TextStyle KeyChange { get; }

    public TextStyle KeyNote { get; }

    public TextStyle Running { get; }

    public TextStyle RunningStrong { get; }

    public TextStyle TocLevel1 { get; }

    public TextStyle TocLevel2 { get; }

    /// <summary>A style owned (and disposed) by the theme, for sizes computed at layout time.</summary>
    public TextStyle Style(SKTypeface typeface, float size, SKColor color, float lineHeight)
    {
        var style = new TextStyle(typeface, size, color, lineHeight);
        _styles.Add(style);
        return style;
    }

    public static SKPaint Fill(SKColor color) => new() { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };

    public static SKPaint Stroke(SKColor color, float width) =>
        new() { Color = color, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width };

    public void Dispose()
    {
        foreach (var style in _styles)
        {
            style.Dispose();
        }

        Regular.Dispose();
        Bold.Dispose();
    }
}
