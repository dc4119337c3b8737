using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Observatoire.Reporting.Document.Pdf;

/// <summary>A bookmark of the PDF outline: its title, the page it opens (1-based) and its sub-entries.</summary>
public sealed record PdfOutlineEntry(string Title, int Page, IReadOnlyList<PdfOutlineEntry> Children);

/// <summary>
/// Adds to a finished PDF what SkiaSharp's PDF backend cannot write: the document language
/// (<c>/Lang</c>, ISO 32000-1 §14.9.2), a bookmarks outline (<c>/Outlines</c>, §12.3.3) shown when
/// the file opens, and <c>/ViewerPreferences /DisplayDocTitle</c> (the title bar shows the title, not
/// the file name). It is an incremental update (§7.5.6): the original bytes stay as they are; a new
/// version of the catalog, the outline items and their cross-reference section are appended.
/// </summary>
internal static partial class PdfNavigationUpdate
{
    private static readonly string[] ReplacedCatalogKeys = ["Lang", "Outlines", "PageMode", "ViewerPreferences"];

    /// <summary>The bytes to append to <paramref name="pdf"/>.</summary>
    /// <param name="pdf">A complete PDF with a classic cross-reference table.</param>
    /// <param name="language">A BCP 47 language tag, e.g. "fr-FR".</param>
    /// <param name="outline">The top-level bookmarks; pages are 1-based.</param>
    /// <exception cref="ArgumentException">Invalid language tag, or a bookmark points to a page the PDF does not have.</exception>
    /// <exception cref="InvalidDataException">The PDF cannot be read.</exception>
    public static byte[] Build(ReadOnlyMemory<byte> pdf, string language, IReadOnlyList<PdfOutlineEntry> outline)
    {
        if (!LanguageTag().IsMatch(language))
        {
            throw new ArgumentException($"\"{language}\" is not a language tag.", nameof(language));
        }

        var file = PdfFile.Read(pdf);
        var pages = file.Pages();
        var root = file.Root;
        var catalog = file.ResolveDictionary(root);

        var objects = new SortedDictionary<int, string>();
        var next = file.Size;
        int? outlineRoot = null;
        if (outline.Count > 0)
        {
            outlineRoot = next++;
            var numbers = new Dictionary<PdfOutlineEntry, int>(ReferenceEqualityComparer.Instance);
            foreach (var entry in Flatten(outline))
            {
                numbers[entry] = next++;
            }

            objects[outlineRoot.Value] = FormattableString.Invariant(
                $"<</Type /Outlines /First {numbers[outline[0]]} 0 R /Last {numbers[outline[^1]]} 0 R /Count {outline.Count}>>");
            WriteItems(outline, outlineRoot.Value, numbers, pages, file, objects);
        }

        objects[root.Number] = Catalog(catalog, file, language, outlineRoot);

        // Every character written is Latin-1 (raw bytes copied as Latin-1, names, numbers, hexadecimal): one byte each.
        var text = new StringBuilder();
        var start = pdf.Length;
        var endsWithNewline = pdf.Length > 0 && pdf.Span[^1] is (byte)'\n' or (byte)'\r';
        if (!endsWithNewline)
        {
            text.Append('\n');
        }

        var offsets = new SortedDictionary<int, int>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = start + text.Length;
            var generation = number == root.Number ? root.Generation : 0;
            text.Append(CultureInfo.InvariantCulture, $"{number} {generation} obj\n{body}\nendobj\n");
        }

        var xref = start + text.Length;
        text.Append("xref\n");
        foreach (var run in Runs(offsets.Keys))
        {
            text.Append(CultureInfo.InvariantCulture, $"{run.First} {run.Count}\n");
            for (var n = run.First; n < run.First + run.Count; n++)
            {
                var generation = n == root.Number ? root.Generation : 0;
                text.Append(CultureInfo.InvariantCulture, $"{offsets[n]:D10} {generation:D5} n \n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {next} /Root {root.Number} {root.Generation} R");
        foreach (var key in new[] { "Info", "ID" })
        {
            if (file.Trailer[key] is { } value)
            {
                text.Append(CultureInfo.InvariantCulture, $" /{key} {file.RawText(value)}");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $" /Prev {file.LastCrossReference}>>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>The catalog with its entries kept, except the ones this update sets.</summary>
    private static string Catalog(PdfDictionary catalog, PdfFile file, string language, int? outlineRoot)
    {
        var text = new StringBuilder("<<");
        foreach (var (key, value) in catalog.Entries)
        {
            if (!ReplacedCatalogKeys.Contains(key))
            {
                text.Append(CultureInfo.InvariantCulture, $"/{key} {file.RawText(value)}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"/Lang ({language})\n");
        var preferences = new StringBuilder("<<");
        if (catalog["ViewerPreferences"] is PdfDictionary existing)
        {
            foreach (var (key, value) in existing.Entries.Where(e => e.Key != "DisplayDocTitle"))
            {
                preferences.Append(CultureInfo.InvariantCulture, $"/{key} {file.RawText(value)} ");
            }
        }

        preferences.Append("/DisplayDocTitle true>>");
        text.Append(CultureInfo.InvariantCulture, $"/ViewerPreferences {preferences}\n");
        if (outlineRoot is { } outlines)
        {
            text.Append(CultureInfo.InvariantCulture, $"/Outlines {outlines} 0 R\n/PageMode /UseOutlines\n");
        }

        return text.Append(">>").ToString();
    }

    private static void WriteItems(
        IReadOnlyList<PdfOutlineEntry> items,
        int parent,
        Dictionary<PdfOutlineEntry, int> numbers,
        IReadOnlyList<PdfReference> pages,
        PdfFile file,
        SortedDictionary<int, string> objects)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Page < 1 || item.Page > pages.Count)
            {
                throw new ArgumentException($"The bookmark \"{item.Title}\" points to page {item.Page}; the PDF has {pages.Count} pages.");
            }

            var text = new StringBuilder(FormattableString.Invariant($"<</Title {TextString(item.Title)} /Parent {parent} 0 R"));
            if (i > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" /Prev {numbers[items[i - 1]]} 0 R");
            }

            if (i + 1 < items.Count)
            {
                text.Append(CultureInfo.InvariantCulture, $" /Next {numbers[items[i + 1]]} 0 R");
            }

            if (item.Children.Count > 0)
            {
                // Closed: a negative count is the number of descendants that opening it shows.
                text.Append(CultureInfo.InvariantCulture,
                    $" /First {numbers[item.Children[0]]} 0 R /Last {numbers[item.Children[^1]]} 0 R /Count -{item.Children.Count}");
            }

            text.Append(CultureInfo.InvariantCulture, $" /Dest {Destination(pages[item.Page - 1], file)}>>");
            objects[numbers[item]] = text.ToString();
            WriteItems(item.Children, numbers[item], numbers, pages, file, objects);
        }
    }

    /// <summary>The top of the page at the reader's zoom; the whole page when its media box is not a direct array.</summary>
    private static string Destination(PdfReference page, PdfFile file)
    {
        var box = file.ResolveDictionary(page)["MediaBox"] as PdfArray;
        var top = box?.Items.Count == 4 && box.Items[3] is PdfNumber n ? n.Value : (double?)null;
        return top is { } y
            ? FormattableString.Invariant($"[{page.Number} {page.Generation} R /XYZ null {y:0.###} null]")
            : FormattableString.Invariant($"[{page.Number} {page.Generation} R /Fit]");
    }

    /// <summary>A text string in UTF-16BE with its byte order mark, written in hexadecimal (§7.9.2.2).</summary>
    private static string TextString(string value) =>
        "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(value)) + ">";

    private static IEnumerable<PdfOutlineEntry> Flatten(IEnumerable<PdfOutlineEntry> entries) =>
        entries.SelectMany(e => Flatten(e.Children).Prepend(e));

    private static IEnumerable<(int First, int Count)> Runs(IEnumerable<int> sorted)
    {
        int? first = null;
        var count = 0;
        foreach (var n in sorted)
        {
            if (first is { } f && n == f + count)
            {
                count++;
                continue;
            }

            if (first is { } done)
            {
                yield return (done, count);
            }

            first = n;
            count = 1;
        }

        if (first is { } last)
        {
            yield return (last, count);
        }
    }

    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LanguageTag();
}
