using Observatoire.Reporting.Document;
using Observatoire.Reporting.Document.Layout;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Observatoire.Reporting.Tests.Document;

/// <summary>How the report's text is measured and written: widths as Skia's, a line as one string in the PDF.</summary>
public sealed class TextRunTests : IDisposable
{
    private readonly ReportTheme _theme = new();

    public void Dispose() => _theme.Dispose();

    private IEnumerable<(string Name, TextStyle Style)> Styles() =>
        typeof(ReportTheme).GetProperties()
            .Where(p => p.PropertyType == typeof(TextStyle))
            .Select(p => (p.Name, (TextStyle)p.GetValue(_theme)!));

    [Fact]
    public void A_measured_width_is_skias_to_the_bit_for_every_style_and_any_text()
    {
        var random = new Random(20261204);
        var texts = new List<string>
        {
            "", " ", "Île-de-France", "12\u202F345 personnes, 6,3\u00A0%", "« violences »", "œuvre", "\t\r\n\0",
            "émoji 😀 et paire", "\uD800 seule", "fin \uDC00", new('W', 400),
        };
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(5) switch
                {
                    0 => (char)random.Next(0x00A0, 0x0180),
                    1 => (char)random.Next(0x0000, 0xFFFF), // anything, glyphs the font lacks and lone surrogates included
                    _ => (char)random.Next(0x20, 0x7F),
                };
            }

            texts.Add(new string(chars));
        }

        var styles = Styles().ToList();
        Assert.True(styles.Count >= 15, $"only {styles.Count} styles found");
        foreach (var (name, style) in styles)
        {
            foreach (var text in texts)
            {
                var expected = text.Length == 0 ? 0f : style.Font.MeasureText(text);
                var measured = style.Measure(text);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(measured) || (expected == 0 && measured == 0),
                    $"{name}: '{text}' measured {measured:R}, Skia says {expected:R}");
            }
        }
    }

    [Fact]
    public void Every_style_is_in_eighths_of_a_point_and_a_size_in_between_is_rounded_to_one()
    {
        Assert.All(Styles(), s => Assert.True(s.Style.Size * 8 == MathF.Round(s.Style.Size * 8), $"{s.Name} is {s.Style.Size} pt"));
        using var style = new TextStyle(_theme.Regular, 7.6f, _theme.Body.Color, 10f);
        Assert.Equal(7.625f, style.Size);
        Assert.Equal(7.625f, style.Font.Size);
    }

    [Fact]
    public void A_line_drawn_from_the_styles_glyphs_is_the_pdf_skia_writes_for_the_string()
    {
        string[] texts = ["Île-de-France : 12\u202F345 personnes, 6,3\u00A0%", "« œuvre » — ça et là", "Ελληνικά ✓ ☃", "paire 😀 ici", "W"];
        foreach (var (name, style) in Styles())
        {
            foreach (var text in texts)
            {
                var printable = style.Printable(text);
                var ours = Page(canvas => TextLayout.DrawText(canvas, text, style, 57, 100, 481, TextAlign.Right));
                var skias = Page(canvas => canvas.DrawText(printable, 57 + 481 - style.Font.MeasureText(printable), 100 + style.BaselineOffset, SKTextAlign.Left, style.Font, style.Paint));
                Assert.True(ours.SequenceEqual(skias), $"{name}: '{text}' is not written as Skia writes it");
            }
        }

        static byte[] Page(Action<SKCanvas> draw)
        {
            using var stream = new MemoryStream();
            using (var pdf = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata { Creation = new DateTime(2026, 1, 1), Modified = new DateTime(2026, 1, 1) })!)
            {
                draw(pdf.BeginPage(595, 842));
                pdf.EndPage();
                pdf.Close();
            }

            return stream.ToArray();
        }
    }

    [Fact]
    public void A_table_and_its_headings_are_written_one_string_a_line_without_a_move_between_glyphs()
    {
        var document = new ReportDocument("Rapport d’essai", "Sous-titre d’essai", "Observatoire national des ISCG", new DateOnly(2026, 11, 16),
            [new ReportSection("Données départementales", 1, [new NoteBlock("Note : les effectifs sont arrondis."), SampleReport.DepartmentTable()])]);
        using var output = new MemoryStream();
        var result = new PdfReportWriter().Write(document, output);

        using var pdf = PdfDocument.Open(output.ToArray());
        var strings = 0;
        for (var number = result.SectionPages[0]; number <= result.PageCount; number++)
        {
            var operators = pdf.GetPage(number).Operations.Select(o => o.Operator).ToList();
            strings += operators.Count(o => o == "Tj");
            // A move inside a text object ("Td") is what Skia writes before a glyph that is not where the previous
            // glyph's width put it. The table's cells, caption, note, heading, header and footer are all left
            // aligned or right aligned lines: none needs one.
            Assert.DoesNotContain("Td", operators);
            Assert.DoesNotContain("TJ", operators);
        }

        Assert.True(strings > 101 * 3, $"only {strings} strings written for a table of 101 rows");
    }
}
