using System.Text;
using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>Horizontal placement of a line of text in its box.</summary>
internal enum TextAlign
{
    Left,
    Right,
    Center,

    /// <summary>Stretch the spaces so the line fills the box; the last line of a paragraph stays left-aligned.</summary>
    Justify,
}

/// <summary>One laid-out line: its printable text, natural width and the spaces justification may stretch.</summary>
internal sealed record TextLine(string Text, float Width, int[] StretchSpaces, bool EndsParagraph);

/// <summary>Word wrapping with French typographic rules, and line drawing.</summary>
internal static class TextLayout
{
    private static readonly char[] PreferredBreaks = ['-', '/', '\u2011'];

    /// <summary>
    /// Wraps <paramref name="text"/> to <paramref name="maxWidth"/> on spaces. No-break spaces (U+00A0,
    /// U+202F) never break; a space before « ; : ! ? » % € » or after « « » is treated as no-break, as are the
    /// spaces of a number in groups of three digits. A word wider than the line is cut, after a hyphen
    /// or slash when possible.
    /// </summary>
    public static List<TextLine> Wrap(string? text, TextStyle style, float maxWidth)
    {
        var lines = new List<TextLine>();
        var printable = style.Printable(text);
        foreach (var hardLine in printable.Split('\n'))
        {
            var units = Units(hardLine);
            if (units.Count == 0)
            {
                lines.Add(new TextLine(string.Empty, 0, [], true));
                continue;
            }

            // Each unit is measured once and a line's width is the sum of its units and spaces (a font's advances add
            // up: no kerning in measured text); measuring every growing candidate line instead made wrapping quadratic
            // in a paragraph's length. The width a line keeps is measured once, whole.
            var sb = new StringBuilder();
            var stretch = new List<int>();
            var width = 0f;
            foreach (var unit in units)
            {
                var unitWidth = style.Measure(unit);
                if (sb.Length > 0)
                {
                    if (width + style.SpaceWidth + unitWidth <= maxWidth)
                    {
                        stretch.Add(sb.Length);
                        sb.Append(' ').Append(unit);
                        width += style.SpaceWidth + unitWidth;
                        continue;
                    }

                    lines.Add(Line(sb.ToString(), style, [.. stretch], false));
                    sb.Clear();
                    stretch.Clear();
                }

                var rest = unit;
                var restWidth = unitWidth;
                while (restWidth > maxWidth && rest.Length > 1)
                {
                    var cut = Cut(rest, style, maxWidth);
                    lines.Add(Line(rest[..cut], style, [], false));
                    rest = rest[cut..];
                    restWidth = style.Measure(rest);
                }

                sb.Append(rest);
                width = restWidth;
            }

            lines.Add(Line(sb.ToString(), style, [.. stretch], true));
        }

        return lines;
    }

    private static TextLine Line(string text, TextStyle style, int[] stretch, bool endsParagraph) =>
        new(text, style.Measure(text), stretch, endsParagraph);

    /// <summary>Width of the longest unbreakable unit (used for minimum table column widths).</summary>
    public static float LongestUnitWidth(string? text, TextStyle style)
    {
        var max = 0f;
        foreach (var hardLine in style.Printable(text).Split('\n'))
        {
            foreach (var unit in Units(hardLine))
            {
                max = Math.Max(max, style.Measure(unit));
            }
        }

        return max;
    }

    /// <summary>Width of the text on one line per hard line break (no wrapping).</summary>
    public static float NaturalWidth(string? text, TextStyle style)
    {
        var max = 0f;
        foreach (var hardLine in style.Printable(text).Split('\n'))
        {
            max = Math.Max(max, style.Measure(string.Join(' ', Units(hardLine))));
        }

        return max;
    }

    /// <summary>Shortens <paramref name="text"/> with an ellipsis so it fits on one line.</summary>
    public static string Truncate(string? text, TextStyle style, float maxWidth)
    {
        var printable = style.Printable(text).Replace('\n', ' ');
        if (style.Measure(printable) <= maxWidth)
        {
            return printable;
        }

        var ellipsis = style.Covers(0x2026) ? "\u2026" : "...";
        var lo = 0;
        var hi = printable.Length;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (style.Measure(printable[..mid].TrimEnd() + ellipsis) <= maxWidth)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (lo > 0 && char.IsHighSurrogate(printable[lo - 1]))
        {
            lo--;
        }

        // Cut at a word boundary unless that would drop too much.
        var space = printable.LastIndexOf(' ', Math.Max(lo - 1, 0));
        if (space >= lo * 0.6)
        {
            lo = space;
        }

        return printable[..lo].TrimEnd(' ', ',', ';', ':', '\u00A0', '\u202F') + ellipsis;
    }

    /// <summary>Draws one line whose line box starts at <paramref name="top"/>.</summary>
    public static void DrawLine(SKCanvas canvas, TextLine line, TextStyle style, float left, float top, float width, TextAlign align)
    {
        if (line.Text.Length == 0)
        {
            return;
        }

        var baseline = top + style.BaselineOffset;
        if (align == TextAlign.Justify && !line.EndsParagraph && line.StretchSpaces.Length > 0)
        {
            var extra = (width - line.Width) / line.StretchSpaces.Length;
            // A line with very few words is left ragged rather than shown with huge gaps.
            if (extra > 0.01f && extra <= style.Size * 1.2f && DrawGlyphs(canvas, line.Text, style, left, baseline, extra, line.StretchSpaces))
            {
                return;
            }
        }

        var x = align switch
        {
            TextAlign.Right => left + width - line.Width,
            TextAlign.Center => left + (width - line.Width) / 2,
            _ => left,
        };
        if (!DrawGlyphs(canvas, line.Text, style, x, baseline, extra: 0, line.StretchSpaces))
        {
            canvas.DrawText(line.Text, x, baseline, SKTextAlign.Left, style.Font, style.Paint);
        }
    }

    /// <summary>Draws consecutive lines, one line height apart.</summary>
    public static void DrawLines(SKCanvas canvas, IReadOnlyList<TextLine> lines, int start, int count, TextStyle style, float left, float top, float width, TextAlign align)
    {
        for (var i = 0; i < count; i++)
        {
            DrawLine(canvas, lines[start + i], style, left, top + i * style.LineHeight, width, align);
        }
    }

    /// <summary>Draws a single unwrapped string with its baseline placed for a line box at <paramref name="top"/>.</summary>
    public static void DrawText(SKCanvas canvas, string text, TextStyle style, float left, float top, float width, TextAlign align)
    {
        var printable = style.Printable(text);
        DrawLine(canvas, new TextLine(printable, style.Measure(printable), [], true), style, left, top, width, align);
    }

    /// <summary>
    /// Draws <paramref name="text"/> from the style's glyphs (no character-to-glyph search in Skia), each
    /// <paramref name="extra"/> wider after the spaces it stretches; false, and nothing drawn, for text with a surrogate.
    /// Without stretch it is one run at the font's advances, as <see cref="SKCanvas.DrawText(string, float, float, SKTextAlign, SKFont, SKPaint)"/> draws it.
    /// </summary>
    private static bool DrawGlyphs(SKCanvas canvas, string text, TextStyle style, float left, float baseline, float extra, int[] stretchSpaces)
    {
        // Lines are short: their glyphs and advances live on the stack (a long line, rare, on the heap).
        var glyphs = text.Length <= 256 ? stackalloc ushort[text.Length] : new ushort[text.Length];
        var advances = text.Length <= 256 ? stackalloc float[text.Length] : new float[text.Length];
        if (!style.TryGlyphs(text, glyphs, advances))
        {
            return false;
        }

        using var builder = new SKTextBlobBuilder();
        if (extra == 0)
        {
            builder.AddRun(glyphs, style.Font);
        }
        else
        {
            var positions = glyphs.Length <= 256 ? stackalloc float[glyphs.Length] : new float[glyphs.Length];
            var x = 0f;
            var next = 0;
            for (var i = 0; i < glyphs.Length; i++)
            {
                positions[i] = x;
                x += advances[i];
                if (next < stretchSpaces.Length && stretchSpaces[next] == i)
                {
                    x += extra;
                    next++;
                }
            }

            builder.AddHorizontalRun(glyphs, style.Font, positions, 0);
        }

        using var blob = builder.Build();
        if (blob is null)
        {
            return false;
        }

        canvas.DrawText(blob, left, baseline, style.Paint);
        return true;
    }

    /// <summary>Number of leading characters of <paramref name="unit"/> to put on a line of <paramref name="maxWidth"/>.</summary>
    private static int Cut(string unit, TextStyle style, float maxWidth)
    {
        var lo = 1;
        var hi = unit.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (style.Measure(unit[..mid]) <= maxWidth)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var preferred = unit.LastIndexOfAny(PreferredBreaks, lo - 1);
        if (preferred >= lo / 3 && preferred > 0)
        {
            lo = preferred + 1;
        }

        if (char.IsHighSurrogate(unit[lo - 1]) && lo > 1)
        {
            lo--;
        }

        return lo;
    }

    /// <summary>Splits a line on ordinary spaces into units that must not be broken (French rules).</summary>
    internal static List<string> Units(string line)
    {
        var units = new List<string>();
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (units.Count > 0 && GluesToPrevious(units[^1], token))
            {
                units[^1] = units[^1] + " " + token;
            }
            else
            {
                units.Add(token);
            }
        }

        return units;
    }

    private static bool GluesToPrevious(string previous, string token)
    {
        if (token[0] is ';' or ':' or '!' or '?' or '\u00BB' or '%' or '\u20AC' or '\u203A')
        {
            return true;
        }

        if (previous[^1] is '\u00AB' or '\u2039' || previous.EndsWith("n\u00B0", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // "12 345" typed with ordinary spaces: keep the digit groups together.
        return EndsWithShortDigitGroup(previous) && StartsWithThreeDigitGroup(token);
    }

    private static bool EndsWithShortDigitGroup(string s)
    {
        var digits = 0;
        var i = s.Length - 1;
        while (i >= 0 && char.IsAsciiDigit(s[i]))
        {
            digits++;
            i--;
        }

        return digits is >= 1 and <= 3 && (i < 0 || !char.IsLetterOrDigit(s[i]));
    }

    private static bool StartsWithThreeDigitGroup(string s) =>
        s.Length >= 3 && char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2])
        && (s.Length == 3 || !char.IsAsciiDigit(s[3]));
}
