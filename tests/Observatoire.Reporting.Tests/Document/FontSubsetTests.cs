using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Observatoire.Reporting.Document;
using Observatoire.Reporting.Document.Layout;
using Observatoire.Reporting.Document.Pdf;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Observatoire.Reporting.Tests.Document;

/// <summary>The PDF's fonts cut to the glyphs drawn: the same outlines, advances and text, a fraction of the bytes.</summary>
public sealed partial class FontSubsetTests
{
    private const string Sample = "Île-de-France : 12\u202F345 personnes, 6,3\u00A0% — « œuvre », Ça ÉTÉ où ÿ ﬁ";

    [Fact]
    public void A_subset_keeps_the_outlines_and_advances_of_the_glyphs_drawn_and_empties_every_other()
    {
        using var typeface = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Normal);
        var original = Program(typeface);
        using var font = new SKFont(typeface, 64);
        var drawn = font.GetGlyphs(Sample).Select(g => (int)g).ToHashSet();

        var subset = TrueTypeSubset.Subset(original, drawn);

        Assert.NotNull(subset);
        Assert.True(subset.Length < original.Length / 5, $"{subset.Length} bytes of {original.Length}");
        using var data = SKData.CreateCopy(subset);
        using var cut = SKTypeface.FromData(data);
        Assert.NotNull(cut); // FreeType reads it
        using var cutFont = new SKFont(cut, 64);
        Assert.Equal(typeface.GlyphCount, cut.GlyphCount);
        var composites = 0;
        for (ushort glyph = 0; glyph < typeface.GlyphCount; glyph++)
        {
            using var before = font.GetGlyphPath(glyph);
            using var after = cutFont.GetGlyphPath(glyph);
            Assert.Equal(font.GetGlyphWidths([glyph])[0], cutFont.GetGlyphWidths([glyph])[0]);
            if (drawn.Contains(glyph) || glyph == 0)
            {
                Assert.Equal(before.ToSvgPathData(), after.ToSvgPathData());
            }
            else if (!after.IsEmpty)
            {
                composites++; // a part of a drawn composite glyph: kept whole
                Assert.Equal(before.ToSvgPathData(), after.ToSvgPathData());
            }
        }

        Assert.True(composites > 0, "the accented capitals of DejaVu are composites: their parts must have been kept");
        Assert.True(composites < 20, $"{composites} glyphs kept that were not drawn");
    }

    [Fact]
    public void A_subset_is_a_well_formed_font_file_with_its_checksums()
    {
        using var typeface = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Bold);
        var subset = TrueTypeSubset.Subset(Program(typeface), new HashSet<int> { 3, 36, 68, 1000 })!;

        var tables = BinaryPrimitives.ReadUInt16BigEndian(subset.AsSpan(4));
        var tags = new List<string>();
        for (var i = 0; i < tables; i++)
        {
            var record = subset.AsSpan(12 + 16 * i, 16);
            var tag = System.Text.Encoding.Latin1.GetString(record[..4]);
            tags.Add(tag);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            Assert.Equal(0, offset % 4);
            if (tag != "head")
            {
                Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(record[4..]), TrueTypeSubset.Checksum(subset.AsSpan(offset, length)));
            }
        }

        Assert.Equal(tags.Order(StringComparer.Ordinal), tags);
        Assert.Contains("glyf", tags);
        Assert.DoesNotContain("GPOS", tags);
        Assert.Equal(0xB1B0AFBAu, TrueTypeSubset.Checksum(subset));
    }

    [Fact]
    public void What_is_not_a_truetype_font_or_not_skias_pdf_is_left_as_it_is()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 4000)];
            random.NextBytes(bytes);
            if (bytes.Length >= 4 && i % 2 == 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00010000); // looks like TrueType, is not
            }

            Assert.Null(TrueTypeSubset.Subset(bytes, new HashSet<int> { 1, 2, 3 }));
            Assert.Null(PdfFontSubsetting.Apply(bytes));
        }

        // The report once written has its navigation appended as an update: a second pass leaves it alone.
        using var output = new MemoryStream();
        new PdfReportWriter().Write(Report(), output);
        Assert.Null(PdfFontSubsetting.Apply(output.ToArray()));
    }

    [Theory]
    [InlineData("BT /F1 12 Tf (Bonjour) Tj ET")] // a literal string: its codes are not read
    [InlineData("BT <00330048> Tj ET")] // text before any font in its text object
    [InlineData("BT /F1 12 Tf <0033 Tj ET")] // an unterminated string
    [InlineData("BT /F2 12 Tf <0033> Tj ET")] // a font the resources do not name
    [InlineData("BT /F1 12 Tf <0033> Tj ) ET")] // an unbalanced delimiter
    public void A_page_this_pass_does_not_read_leaves_the_file_as_it_is(string content)
    {
        using var typeface = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Normal);
        var pdf = HandWritten(content, Program(typeface));

        Assert.Null(PdfFontSubsetting.Apply(pdf));
        Assert.NotNull(PdfFontSubsetting.Apply(HandWritten("BT /F1 12 Tf <00330048> Tj ET", Program(typeface)))); // the same file, readable
    }

    [Fact]
    public void A_page_whose_fonts_are_inherited_from_the_page_tree_has_them_cut()
    {
        using var typeface = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Normal);
        var whole = Program(typeface);

        var cut = PdfFontSubsetting.Apply(HandWritten("BT /F1 12 Tf <00330048> Tj ET", whole, inherited: true));

        Assert.NotNull(cut);
        Assert.True(cut.Length < whole.Length / 5, $"{cut.Length} bytes for a font of {whole.Length}");
        using var pdf = PdfDocument.Open(cut);
        Assert.Equal(2, pdf.GetPage(1).Letters.Count);
    }

    /// <summary>A one-page PDF with a CID-keyed TrueType font (uncompressed) and the given page content.</summary>
    private static byte[] HandWritten(string content, byte[] font, bool inherited = false)
    {
        const string Resources = "/Resources <</Font <</F1 5 0 R>>>>";
        var objects = new List<byte[]>
        {
            Latin1("<</Type /Catalog /Pages 2 0 R>>"),
            Latin1($"<</Type /Pages /Kids [3 0 R] /Count 1 {(inherited ? Resources : "")}>>"),
            Latin1($"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {(inherited ? "" : Resources)} /Contents 4 0 R>>"),
            Latin1($"<</Length {content.Length}>> stream\n{content}\nendstream"),
            Latin1("<</Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H /DescendantFonts [6 0 R]>>"),
            Latin1("<</Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /CIDToGIDMap /Identity /FontDescriptor 7 0 R>>"),
            Latin1("<</Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 8 0 R>>"),
            Latin1($"<</Length1 {font.Length} /Length {font.Length}>> stream\n").Concat(font).Concat(Latin1("\nendstream")).ToArray(),
        };
        using var pdf = new MemoryStream();
        pdf.Write(Latin1("%PDF-1.4\n"));
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Write(Latin1($"{i + 1} 0 obj\n"));
            pdf.Write(objects[i]);
            pdf.Write(Latin1("\nendobj\n"));
        }

        var xref = pdf.Length;
        pdf.Write(Latin1($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets)
        {
            pdf.Write(Latin1($"{offset:D10} 00000 n \n"));
        }

        pdf.Write(Latin1($"trailer\n<</Size {objects.Count + 1} /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n"));
        return pdf.ToArray();

        static byte[] Latin1(string text) => System.Text.Encoding.Latin1.GetBytes(text);
    }

    [Fact]
    public void Fonts_are_embedded_cut_and_every_letter_reads_back_where_and_as_skia_drew_it()
    {
        // A PDF as SkiaSharp writes it, with the report's three faces, then the same file with its fonts cut.
        using var regular = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Normal);
        using var bold = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Bold);
        using var italic = ReportFonts.Load(ReportFonts.Family, SKFontStyle.Italic);
        using var stream = new MemoryStream();
        using (var pdf = SKDocument.CreatePdf(stream)!)
        {
            for (var page = 0; page < 3; page++)
            {
                var canvas = pdf.BeginPage(595, 842);
                var y = 60f;
                foreach (var face in new[] { regular, bold, italic })
                {
                    using var font = new SKFont(face, 9.5f + page) { Hinting = SKFontHinting.None, LinearMetrics = true, Subpixel = true };
                    using var paint = new SKPaint { Color = SKColors.Black };
                    canvas.DrawText(Sample, 57, y += 20, font, paint);
                    canvas.DrawText($"Page {page + 1} : 0123456789", 57, y += 20, font, paint);
                }

                pdf.EndPage();
            }

            pdf.Close();
        }

        var whole = stream.ToArray();
        var cut = PdfFontSubsetting.Apply(whole);

        Assert.NotNull(cut);
        Assert.True(cut.Length < whole.Length / 4, $"{cut.Length} bytes of {whole.Length}");
        Assert.All(FontProgramLengths(cut), length => Assert.InRange(length, 1, 120_000));
        using var before = PdfDocument.Open(whole);
        using var after = PdfDocument.Open(cut);
        Assert.Equal(before.NumberOfPages, after.NumberOfPages);
        for (var number = 1; number <= before.NumberOfPages; number++)
        {
            var expected = before.GetPage(number).Letters;
            var actual = after.GetPage(number).Letters;
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Value, actual[i].Value);
                Assert.Equal(expected[i].FontName, actual[i].FontName);
                Assert.Equal(expected[i].StartBaseLine, actual[i].StartBaseLine);
                Assert.Equal(expected[i].BoundingBox, actual[i].BoundingBox);
            }
        }
    }

    [Fact]
    public void The_report_writer_embeds_its_fonts_cut()
    {
        using var output = new MemoryStream();
        new PdfReportWriter().Write(Report(), output);

        var lengths = FontProgramLengths(output.ToArray());
        Assert.NotEmpty(lengths);
        Assert.All(lengths, length => Assert.InRange(length, 1, 120_000)); // DejaVu Sans whole is 760 KB
        using var pdf = PdfDocument.Open(output.ToArray());
        Assert.Contains("Île-de-France", PdfInspection.PlainText(pdf.GetPage(3)));
    }

    private static ReportDocument Report() =>
        new("Rapport d’essai", "Sous-titre d’essai", "Observatoire national des ISCG", new DateOnly(2026, 11, 16),
            [new ReportSection("Données départementales", 1, [new ParagraphBlock(Sample), SampleReport.DepartmentTable()])]);

    private static byte[] Program(SKTypeface typeface)
    {
        using var stream = typeface.OpenStream(out _);
        var bytes = new byte[stream.Length];
        Assert.Equal(bytes.Length, stream.Read(bytes, bytes.Length));
        return bytes;
    }

    /// <summary>The uncompressed length (/Length1) of every embedded TrueType font program.</summary>
    private static List<int> FontProgramLengths(byte[] pdf) =>
        Length1().Matches(System.Text.Encoding.Latin1.GetString(pdf)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"/Length1 (\d+)")]
    private static partial Regex Length1();
}
