using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Observatoire.Reporting.Document.Pdf;

/// <summary>
/// Embeds only the glyphs a PDF draws. SkiaSharp's build embeds each TrueType font whole (DejaVu Sans: 760 KB, 360 KB
/// compressed), so a ten-page bilan was mostly fonts. This reads every page's content (and the forms it draws), collects
/// the glyph ids shown with each CID-keyed TrueType font (Identity encoding, as Skia writes them), cuts each font program
/// to those glyphs (<see cref="TrueTypeSubset"/>: ids unchanged, so nothing else in the file changes) and writes the file
/// again with a new cross-reference table. Anything it does not read as expected leaves the file as it was.
/// </summary>
internal static class PdfFontSubsetting
{
    /// <summary>The PDF with its fonts cut to the glyphs drawn, or null when there is nothing to cut or the file is not one this reads.</summary>
    public static byte[]? Apply(ReadOnlyMemory<byte> pdf)
    {
        try
        {
            return Build(pdf);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    private static byte[]? Build(ReadOnlyMemory<byte> pdf)
    {
        var file = PdfFile.Read(pdf);
        if (file.Trailer["Prev"] is not null)
        {
            return null; // an updated file: only SkiaSharp's own output is rewritten
        }

        var glyphs = new Dictionary<int, HashSet<int>>(); // font program object → glyph ids drawn
        var forms = new HashSet<int>();
        foreach (var page in file.Pages())
        {
            var dictionary = file.ResolveDictionary(page);
            var resources = Resources(file, dictionary);
            var contents = dictionary["Contents"] switch
            {
                PdfReference one => [one],
                PdfArray many => many.Items.OfType<PdfReference>().ToList(),
                _ => new List<PdfReference>(),
            };
            foreach (var content in contents)
            {
                PdfTextGlyphs.Scan(file, file.Decoded(content.Number), resources, glyphs, forms);
            }
        }

        if (glyphs.Count == 0)
        {
            return null;
        }

        var replaced = new Dictionary<int, byte[]>();
        foreach (var (number, drawn) in glyphs)
        {
            if (file.Stream(number).Dictionary.Entries.Any(e => e.Key is not ("Length" or "Length1" or "Filter")))
            {
                continue;
            }

            var program = file.Decoded(number);
            if (TrueTypeSubset.Subset(program, drawn) is not { } subset || subset.Length >= program.Length)
            {
                continue;
            }

            var compressed = Deflate(subset);
            var text = Encoding.Latin1.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{number} 0 obj\n<</Length1 {subset.Length}\n/Filter /FlateDecode\n/Length {compressed.Length}>> stream\n"));
            replaced[number] = [.. text, .. compressed, .. "\nendstream\nendobj\n"u8];
        }

        return replaced.Count == 0 ? null : Rewrite(file, replaced);
    }

    /// <summary>A page's resources, its own or inherited from the page tree (§7.7.3.4).</summary>
    private static PdfDictionary? Resources(PdfFile file, PdfDictionary page)
    {
        PdfDictionary? node = page;
        for (var depth = 0; node is not null && depth < 64; depth++)
        {
            if (node["Resources"] is { } resources)
            {
                return file.ResolveDictionary(resources);
            }

            node = node["Parent"] is PdfReference parent ? file.ResolveDictionary(parent) : null;
        }

        return null;
    }

    /// <summary>The object number of the font program of a Type 0 font over a CID-keyed TrueType font with the identity mappings; null for any other font.</summary>
    internal static int? FontProgram(PdfFile file, PdfReference reference)
    {
        var font = file.ResolveDictionary(reference);
        if ((font["Subtype"] as PdfName)?.Value != "Type0" || (font["Encoding"] as PdfName)?.Value != "Identity-H"
            || font["DescendantFonts"] is not PdfArray { Items: [var descendant] })
        {
            return null;
        }

        var cid = file.ResolveDictionary(descendant);
        if ((cid["Subtype"] as PdfName)?.Value != "CIDFontType2" || (cid["CIDToGIDMap"] as PdfName)?.Value != "Identity"
            || cid["FontDescriptor"] is not { } descriptor)
        {
            return null;
        }

        return file.ResolveDictionary(descriptor)["FontFile2"] is PdfReference program ? program.Number : null;
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>The same objects in the same order, the replaced ones with their new bytes, and a new cross-reference table.</summary>
    private static byte[] Rewrite(PdfFile file, Dictionary<int, byte[]> replaced)
    {
        var source = file.Syntax.Bytes.Span;
        var order = file.Objects.OrderBy(o => o.Value.Offset).ToList();
        using var output = new MemoryStream(source.Length);
        output.Write(source[..order[0].Value.Offset]);
        var offsets = new Dictionary<int, (long Offset, int Generation)>();
        for (var i = 0; i < order.Count; i++)
        {
            var (number, (offset, generation)) = order[i];
            var end = i + 1 < order.Count ? order[i + 1].Value.Offset : file.LastCrossReference;
            offsets[number] = (output.Length, generation);
            output.Write(replaced.TryGetValue(number, out var text) ? text : source[offset..end]);
        }

        var xref = output.Length;
        var table = new StringBuilder();
        var size = file.Size;
        table.Append(CultureInfo.InvariantCulture, $"xref\n0 {size}\n");
        for (var number = 0; number < size; number++)
        {
            table.Append(offsets.TryGetValue(number, out var at)
                ? string.Create(CultureInfo.InvariantCulture, $"{at.Offset:D10} {at.Generation:D5} n \n")
                : "0000000000 65535 f \n");
        }

        table.Append("trailer\n").Append(file.RawText(file.Trailer)).Append(CultureInfo.InvariantCulture, $"\nstartxref\n{xref}\n%%EOF\n");
        output.Write(Encoding.Latin1.GetBytes(table.ToString()));
        return output.ToArray();
    }
}
