using System.Buffers.Binary;

namespace Observatoire.Reporting.Document.Pdf;

/// <summary>
/// A TrueType font program cut down to the glyphs a PDF draws (ISO 32000-1 §9.9, OpenType 1.9 'glyf', 'loca').
/// Glyph ids do not change, so the PDF's text and widths stay valid: the outlines of the other glyphs are emptied,
/// the tables a PDF viewer does not read for a CID-keyed TrueType font (layout features, kerning, glyph names) are
/// dropped, and the rest is kept byte for byte. Glyph 0 and the parts of every composite glyph are always kept.
/// </summary>
internal static class TrueTypeSubset
{
    /// <summary>Tables kept: what a TrueType rasteriser needs (outlines, metrics, hinting programs) and the font's names.</summary>
    private static readonly HashSet<string> Kept = ["cmap", "cvt ", "fpgm", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "OS/2", "post", "prep"];

    private const int MaxGlyphs = 65_535;

    /// <summary>The subset, or null when <paramref name="font"/> is not a TrueType font this reads (then embed it whole).</summary>
    public static byte[]? Subset(ReadOnlySpan<byte> font, IReadOnlySet<int> glyphs)
    {
        try
        {
            return Build(font, glyphs);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            return null;
        }
    }

    private static byte[]? Build(ReadOnlySpan<byte> font, IReadOnlySet<int> used)
    {
        var version = BinaryPrimitives.ReadUInt32BigEndian(font);
        if (version is not (0x00010000 or 0x74727565)) // TrueType outlines ("true"), not CFF ("OTTO") nor a collection
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(font[4..]);
        var tables = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var record = font.Slice(12 + 16 * i, 16);
            var tag = System.Text.Encoding.Latin1.GetString(record[..4]);
            var offset = checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]));
            var length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
            if (Kept.Contains(tag))
            {
                tables[tag] = font.Slice(offset, length).ToArray();
            }
        }

        if (!tables.TryGetValue("head", out var head) || !tables.TryGetValue("maxp", out var maxp)
            || !tables.TryGetValue("loca", out var loca) || !tables.TryGetValue("glyf", out var glyf))
        {
            return null;
        }

        var glyphCount = BinaryPrimitives.ReadUInt16BigEndian(maxp.AsSpan(4));
        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(head.AsSpan(50)) == 1;
        var offsets = new int[glyphCount + 1];
        for (var g = 0; g <= glyphCount; g++)
        {
            offsets[g] = longOffsets
                ? checked((int)BinaryPrimitives.ReadUInt32BigEndian(loca.AsSpan(4 * g)))
                : 2 * BinaryPrimitives.ReadUInt16BigEndian(loca.AsSpan(2 * g));
            if (offsets[g] > glyf.Length || (g > 0 && offsets[g] < offsets[g - 1]))
            {
                throw new InvalidDataException("The glyph locations are out of order.");
            }
        }

        // The glyphs to keep: those drawn, glyph 0 (.notdef), and, transitively, the parts of composite glyphs.
        var keep = new bool[glyphCount];
        var pending = new Stack<int>(used.Where(g => g >= 0 && g < glyphCount).Append(0));
        while (pending.Count > 0)
        {
            var g = pending.Pop();
            if (keep[g])
            {
                continue;
            }

            keep[g] = true;
            foreach (var part in Components(glyf.AsSpan(offsets[g], offsets[g + 1] - offsets[g])))
            {
                if (part < glyphCount && !keep[part])
                {
                    pending.Push(part);
                }
            }
        }

        // New 'glyf' (kept glyphs, each on a 4-byte boundary) and 'loca' (long offsets, one per glyph plus the end).
        using var newGlyf = new MemoryStream();
        var newLoca = new byte[4 * (glyphCount + 1)];
        for (var g = 0; g < glyphCount; g++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * g), (uint)newGlyf.Length);
            if (keep[g])
            {
                newGlyf.Write(glyf.AsSpan(offsets[g], offsets[g + 1] - offsets[g]));
                while (newGlyf.Length % 4 != 0)
                {
                    newGlyf.WriteByte(0);
                }
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * glyphCount), (uint)newGlyf.Length);
        tables["glyf"] = newGlyf.ToArray();
        tables["loca"] = newLoca;
        head = (byte[])head.Clone();
        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), 1);
        tables["head"] = head;
        if (tables.TryGetValue("post", out var post) && post.Length >= 32)
        {
            // Version 3: no glyph names (a PDF viewer maps text through the PDF's own ToUnicode, not the names).
            var names = post.AsSpan(0, 32).ToArray();
            BinaryPrimitives.WriteUInt32BigEndian(names, 0x00030000);
            names.AsSpan(16).Clear();
            tables["post"] = names;
        }

        return Write(version, tables);
    }

    /// <summary>The glyph ids a composite glyph is made of (none for a simple or empty glyph).</summary>
    private static List<int> Components(ReadOnlySpan<byte> glyph)
    {
        var parts = new List<int>();
        if (glyph.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(glyph) >= 0)
        {
            return parts;
        }

        const int ArgsAreWords = 0x0001, HasScale = 0x0008, MoreComponents = 0x0020, HasXYScale = 0x0040, HasTwoByTwo = 0x0080;
        var position = 10;
        int flags;
        do
        {
            flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[position..]);
            parts.Add(BinaryPrimitives.ReadUInt16BigEndian(glyph[(position + 2)..]));
            position += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2);
            position += (flags & HasScale) != 0 ? 2 : (flags & HasXYScale) != 0 ? 4 : (flags & HasTwoByTwo) != 0 ? 8 : 0;
            if (parts.Count > MaxGlyphs)
            {
                throw new InvalidDataException("A composite glyph has too many parts.");
            }
        }
        while ((flags & MoreComponents) != 0);

        return parts;
    }

    /// <summary>An sfnt file: the table directory (tags in order), each table on a 4-byte boundary, checksums, and the whole-file adjustment in 'head'.</summary>
    private static byte[] Write(uint version, SortedDictionary<string, byte[]> tables)
    {
        var count = tables.Count;
        var power = 1;
        var log = 0;
        while (power * 2 <= count)
        {
            power *= 2;
            log++;
        }

        var directoryLength = 12 + 16 * count;
        var total = directoryLength + tables.Values.Sum(t => (t.Length + 3) & ~3);
        var file = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(file, version);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(4), (ushort)count);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(6), (ushort)(power * 16));
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(8), (ushort)log);
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(10), (ushort)(count * 16 - power * 16));
        var offset = directoryLength;
        var headOffset = -1;
        var index = 0;
        foreach (var (tag, data) in tables)
        {
            if (tag == "head")
            {
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), 0); // checkSumAdjustment, set below
                headOffset = offset;
            }

            var record = file.AsSpan(12 + 16 * index++, 16);
            System.Text.Encoding.Latin1.GetBytes(tag, record);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], Checksum(data));
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)data.Length);
            data.CopyTo(file.AsSpan(offset));
            offset += (data.Length + 3) & ~3;
        }

        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(headOffset + 8), unchecked(0xB1B0AFBA - Checksum(file)));
        return file;
    }

    /// <summary>The sum of the data as big-endian 32-bit words, the last one padded with zeros.</summary>
    internal static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }

        if (i < data.Length)
        {
            Span<byte> last = stackalloc byte[4];
            last.Clear();
            data[i..].CopyTo(last);
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(last));
        }

        return sum;
    }
}
