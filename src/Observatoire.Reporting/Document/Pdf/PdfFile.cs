using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Observatoire.Reporting.Document.Pdf;

/// <summary>
/// A complete PDF with a classic cross-reference table (as SkiaSharp writes it): its trailer, its
/// objects by number and its pages in order. Cross-reference streams (PDF 1.5 compressed files) are
/// refused: no writer of ours makes them.
/// </summary>
internal sealed class PdfFile
{
    private const int MaxSections = 64;
    private const int MaxPages = 100_000;

    private readonly Dictionary<int, (int Offset, int Generation)> _objects = [];

    private PdfFile(ReadOnlyMemory<byte> bytes)
    {
        Syntax = new PdfSyntax(bytes);
        LastCrossReference = FindStartXref();
        Trailer = ReadCrossReferences(LastCrossReference);
    }

    public PdfSyntax Syntax { get; }

    /// <summary>The newest trailer dictionary.</summary>
    public PdfDictionary Trailer { get; }

    /// <summary>Offset of the newest cross-reference section (the /Prev of an update).</summary>
    public int LastCrossReference { get; }

    /// <summary>The /Size of the trailer: the first free object number.</summary>
    public int Size => Trailer["Size"] is PdfNumber n && n.Value >= 1 && n.Value <= 10_000_000
        ? (int)n.Value
        : throw new InvalidDataException("The trailer has no valid /Size.");

    public PdfReference Root => Trailer["Root"] as PdfReference ?? throw new InvalidDataException("The trailer has no /Root reference.");

    /// <summary>Where each object in use starts, by number (the newest cross-reference entry of each).</summary>
    public IReadOnlyDictionary<int, (int Offset, int Generation)> Objects => _objects;

    /// <exception cref="InvalidDataException">Not a PDF this reader understands.</exception>
    public static PdfFile Read(ReadOnlyMemory<byte> bytes) => new(bytes);

    /// <summary>The value of an indirect object.</summary>
    public PdfValue Resolve(PdfReference reference)
    {
        if (!_objects.TryGetValue(reference.Number, out var entry) || entry.Generation != reference.Generation)
        {
            throw new InvalidDataException($"Object {reference.Number} {reference.Generation} is not in the cross-reference table.");
        }

        return Syntax.ReadIndirectObject(entry.Offset, reference.Number);
    }

    public PdfDictionary ResolveDictionary(PdfValue value) =>
        (value is PdfReference r ? Resolve(r) : value) as PdfDictionary
        ?? throw new InvalidDataException("A dictionary was expected.");

    /// <summary>References of the page objects, in page order (the page tree walked depth first).</summary>
    public IReadOnlyList<PdfReference> Pages()
    {
        var catalog = ResolveDictionary(Root);
        var root = catalog["Pages"] as PdfReference ?? throw new InvalidDataException("The catalog has no /Pages reference.");
        var pages = new List<PdfReference>();
        var visited = new HashSet<int>();
        var stack = new Stack<PdfReference>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!visited.Add(node.Number) || visited.Count > MaxPages)
            {
                throw new InvalidDataException("The page tree has a cycle or too many nodes.");
            }

            var dictionary = ResolveDictionary(node);
            switch ((dictionary["Type"] as PdfName)?.Value)
            {
                case "Pages":
                    var kids = dictionary["Kids"] as PdfArray ?? throw new InvalidDataException($"Page tree node {node.Number} has no /Kids.");
                    for (var i = kids.Items.Count - 1; i >= 0; i--)
                    {
                        stack.Push(kids.Items[i] as PdfReference ?? throw new InvalidDataException($"Page tree node {node.Number} has a direct kid."));
                    }

                    break;
                case "Page":
                    pages.Add(node);
                    break;
                default:
                    throw new InvalidDataException($"Object {node.Number} in the page tree is neither a page nor a page tree node.");
            }
        }

        return pages;
    }

    /// <summary>A stream object's dictionary and its raw (still encoded) data.</summary>
    public (PdfDictionary Dictionary, ReadOnlyMemory<byte> Data) Stream(int number)
    {
        if (!_objects.TryGetValue(number, out var entry))
        {
            throw new InvalidDataException($"Object {number} is not in the file.");
        }

        var position = entry.Offset;
        for (var i = 0; i < 3; i++)
        {
            Syntax.ReadValue(ref position); // "n g obj"
        }

        var dictionary = Syntax.ReadValue(ref position) as PdfDictionary ?? throw new InvalidDataException($"Object {number} is not a stream.");
        if (!Syntax.TryKeyword(ref position, "stream") || dictionary["Length"] is not PdfNumber { Value: >= 0 } length)
        {
            throw new InvalidDataException($"Object {number} is not a stream with a direct length.");
        }

        var bytes = Syntax.Bytes;
        position += bytes.Span[position] == '\r' ? 1 : 0;
        position += bytes.Span[position] == '\n' ? 1 : 0;
        return (dictionary, bytes.Slice(position, checked((int)length.Value)));
    }

    /// <summary>A stream's data, inflated when it is compressed (the only filter Skia writes); any other filter is not read.</summary>
    public byte[] Decoded(int number)
    {
        var (dictionary, data) = Stream(number);
        return dictionary["Filter"] switch
        {
            null => data.ToArray(),
            PdfName { Value: "FlateDecode" } => Inflate(data),
            _ => throw new InvalidDataException($"Object {number} has a filter this reader does not decode."),
        };
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> data)
    {
        using var input = MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(Math.Min(data.Length * 8, 64 << 20)); // page content inflates about sixfold
        zlib.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The raw bytes of a value, to copy it unchanged into an update.</summary>
    public string RawText(PdfValue value) => Encoding.Latin1.GetString(Syntax.Bytes.Span[value.Start..value.End]);

    private int FindStartXref()
    {
        var span = Syntax.Bytes.Span;
        var tail = span[Math.Max(0, span.Length - 1024)..];
        var at = tail.LastIndexOf("startxref"u8);
        if (at < 0)
        {
            throw new InvalidDataException("No startxref: not a complete PDF.");
        }

        var position = span.Length - tail.Length + at + "startxref".Length;
        var offset = Syntax.ReadInteger(ref position);
        return offset < span.Length ? (int)offset : throw new InvalidDataException("startxref points past the end of the file.");
    }

    /// <summary>Reads the cross-reference sections from the newest, following /Prev; newer entries win.</summary>
    private PdfDictionary ReadCrossReferences(int offset)
    {
        var seen = new HashSet<int>();
        var visited = new HashSet<int>();
        PdfDictionary? newest = null;
        var length = Syntax.Bytes.Length;
        for (int? next = offset; next is { } at; )
        {
            if (!visited.Add(at) || visited.Count > MaxSections)
            {
                throw new InvalidDataException("The cross-reference sections loop.");
            }

            var position = at;
            if (!Syntax.TryKeyword(ref position, "xref"))
            {
                throw new InvalidDataException("Cross-reference streams are not supported: a classic xref table was expected.");
            }

            while (!Syntax.TryKeyword(ref position, "trailer"))
            {
                var first = Syntax.ReadInteger(ref position);
                var count = Syntax.ReadInteger(ref position);
                if (first + count > 10_000_000 || count * 20 > length)
                {
                    throw new InvalidDataException("A cross-reference subsection is larger than the file.");
                }

                for (var i = 0; i < count; i++)
                {
                    var objectOffset = Syntax.ReadInteger(ref position, 10);
                    var generation = Syntax.ReadInteger(ref position, 5);
                    Syntax.SkipSpace(ref position);
                    var kind = position < length ? Syntax.Bytes.Span[position++] : (byte)0;
                    if (kind is not ((byte)'n' or (byte)'f'))
                    {
                        throw new InvalidDataException($"Invalid cross-reference entry at offset {position}.");
                    }

                    var number = (int)(first + i);
                    if (seen.Add(number) && kind == 'n')
                    {
                        if (objectOffset >= length)
                        {
                            throw new InvalidDataException($"Object {number} is said to start past the end of the file.");
                        }

                        _objects[number] = ((int)objectOffset, (int)generation);
                    }
                }
            }

            var trailer = Syntax.ReadValue(ref position) as PdfDictionary ?? throw new InvalidDataException("The trailer is not a dictionary.");
            newest ??= trailer;
            next = trailer["Prev"] is PdfNumber prev && prev.Value >= 0 && prev.Value < length ? (int)prev.Value : null;
        }

        return newest!;
    }
}
