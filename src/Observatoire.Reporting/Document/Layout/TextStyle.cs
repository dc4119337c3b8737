using System.Text;
using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>A font at a size, a colour and a line height; knows which characters it can print.</summary>
internal sealed class TextStyle : IDisposable
{
    /// <summary>Whether the font covers a code point outside the basic plane (inside it, the glyph pages say).</summary>
    private readonly Dictionary<int, bool> _coverage = [];

    /// <summary>Glyphs and advance widths of the basic multilingual plane, 256 characters a page, read from the font when first used.</summary>
    private readonly GlyphPage?[] _pages = new GlyphPage?[256];

    /// <param name="size">
    /// In points, rounded to an eighth of a point. At such a size every advance, and every sum of advances across a
    /// page, is exact in single precision, so the glyphs Skia places one after the other fall exactly where the PDF
    /// font's widths put them and a line is written as one string. At a size like 7.6 the sums drift by a few
    /// millionths of a point, and Skia then writes a move before every glyph: three times the bytes for a table,
    /// all of them compressed and written at every report.
    /// </param>
    public TextStyle(SKTypeface typeface, float size, SKColor color, float lineHeight)
    {
        size = MathF.Round(size * 8f) / 8f;
        Size = size;
        LineHeight = lineHeight;
        // PDF output is vector: unhinted linear metrics so measured widths are the drawn widths.
        Font = new SKFont(typeface, size)
        {
            Hinting = SKFontHinting.None,
            LinearMetrics = true,
            Subpixel = true,
            Edging = SKFontEdging.Antialias,
        };
        Paint = new SKPaint { Color = color, IsAntialias = true, Style = SKPaintStyle.Fill };
        var metrics = Font.Metrics;
        Ascent = -metrics.Ascent;
        Descent = metrics.Descent;
        // Centre the glyph box (ascent + descent) in the line box.
        BaselineOffset = (lineHeight - (Ascent + Descent)) / 2 + Ascent;
        SpaceWidth = Font.MeasureText(" ");
    }

    public SKFont Font { get; }

    public SKPaint Paint { get; }

    public float Size { get; }

    public float LineHeight { get; }

    public float Ascent { get; }

    public float Descent { get; }

    /// <summary>Distance from the top of a line box to the baseline.</summary>
    public float BaselineOffset { get; }

    public float SpaceWidth { get; }

    public SKColor Color => Paint.Color;

    /// <summary>
    /// The width of <paramref name="text"/> drawn on one line: the sum of its characters' advances, added in order in
    /// single precision as Skia's <c>SkFont::measureText</c> adds them (unhinted linear metrics have no kerning or
    /// context), so the result is the same to the bit. The advances are read from the font once per page of
    /// characters: layout measures every word of every table cell several times, and asking Skia each time (a
    /// character-to-glyph search per character) was an eighth of the writer's time. Text with surrogate pairs
    /// (outside the basic plane) is measured by Skia.
    /// </summary>
    public float Measure(string text)
    {
        var width = 0f;
        foreach (var c in text)
        {
            if (char.IsSurrogate(c))
            {
                return Font.MeasureText(text);
            }

            width += Page(c).Advances[c & 0xFF];
        }

        return width;
    }

    /// <summary>
    /// The glyph of each character of <paramref name="text"/> and its advance, as Skia maps them; false (and nothing
    /// written) when the text has a surrogate, whose pair makes one glyph of two characters.
    /// </summary>
    public bool TryGlyphs(string text, Span<ushort> glyphs, Span<float> advances)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var page = Page(text[i]);
            glyphs[i] = page.Glyphs[text[i] & 0xFF];
            advances[i] = page.Advances[text[i] & 0xFF];
        }

        return true;
    }

    private GlyphPage Page(char c) => _pages[c >> 8] ??= ReadPage(c >> 8);

    private GlyphPage ReadPage(int page)
    {
        Span<char> characters = stackalloc char[256];
        for (var i = 0; i < characters.Length; i++)
        {
            characters[i] = (char)((page << 8) | i);
        }

        var glyphs = Font.GetGlyphs(characters);
        return new GlyphPage(glyphs, Font.GetGlyphWidths(glyphs));
    }

    /// <summary>Whether the font has a glyph for <paramref name="codePoint"/> (read from the glyph pages in the basic plane).</summary>
    public bool Covers(int codePoint)
    {
        if (codePoint is >= 0 and <= 0xFFFF && !char.IsSurrogate((char)codePoint))
        {
            return Page((char)codePoint).Glyphs[codePoint & 0xFF] != 0;
        }

        if (!_coverage.TryGetValue(codePoint, out var covered))
        {
            covered = Font.ContainsGlyph(codePoint);
            _coverage[codePoint] = covered;
        }

        return covered;
    }

    /// <summary>
    /// Text this font can print without tofu: line breaks normalised to '\n', tabs to spaces, invisible
    /// characters dropped, and characters missing from the font replaced by a close equivalent
    /// (no-break spaces by U+00A0 or a space, typographic quotes and dashes by ASCII ones, otherwise '?').
    /// </summary>
    public string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r':
                    if (i + 1 >= text.Length || text[i + 1] != '\n')
                    {
                        sb.Append('\n');
                    }

                    continue;
                case '\n':
                    sb.Append('\n');
                    continue;
                case '\t':
                    sb.Append(' ');
                    continue;
                case '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF':
                    continue;
            }

            if (char.IsControl(c))
            {
                continue;
            }

            int codePoint;
            var length = 1;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                length = 2;
            }
            else if (char.IsSurrogate(c))
            {
                sb.Append('?');
                continue;
            }
            else
            {
                codePoint = c;
            }

            if (codePoint != 0xFFFD && Covers(codePoint))
            {
                sb.Append(text, i, length);
            }
            else
            {
                sb.Append(Substitute(codePoint));
            }

            i += length - 1;
        }

        return sb.ToString();
    }

    private string Substitute(int codePoint) => codePoint switch
    {
        0x202F or 0x2007 or 0x00A0 or 0x2009 or 0x200A => Covers(0x00A0) ? "\u00A0" : " ",
        >= 0x2000 and <= 0x200A or 0x205F or 0x3000 => " ",
        0x2018 or 0x2019 or 0x201A or 0x201B or 0x2032 => "'",
        0x201C or 0x201D or 0x201E or 0x00AB or 0x00BB => "\"",
        >= 0x2010 and <= 0x2015 or 0x2212 => "-",
        0x2026 => "...",
        0x0153 => "oe",
        0x0152 => "OE",
        0x20AC => "EUR",
        _ => "?",
    };

    public void Dispose()
    {
        Font.Dispose();
        Paint.Dispose();
    }
}

/// <summary>The glyphs and advances of 256 consecutive characters.</summary>
internal sealed record GlyphPage(ushort[] Glyphs, float[] Advances);
