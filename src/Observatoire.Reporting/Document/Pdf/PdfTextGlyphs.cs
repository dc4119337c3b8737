namespace Observatoire.Reporting.Document.Pdf;

/// <summary>The glyph ids a page's content shows with each embedded TrueType font (for <see cref="PdfFontSubsetting"/>).</summary>
internal static class PdfTextGlyphs
{
    private const int MaxForms = 10_000;

    /// <summary>
    /// Reads a content stream's operators and records, per font program, the glyph ids its text operators show. A
    /// lexical scan (ISO 32000-1 §7.2, §7.8.2) that looks only at what it needs: names (the operand of <c>Tf</c> and
    /// <c>Do</c>), hexadecimal strings (the glyph codes) and operators; numbers, arrays and dictionaries are stepped over,
    /// and outside text objects (<c>BT</c> … <c>ET</c>), where only a form can show text, it jumps to the next <c>BT</c> or
    /// <c>Do</c>. A report's content is some 14 MB of operators, most of them paths: the general object reader, which
    /// builds a value per token, took two seconds over it; this takes a few tens of milliseconds.
    /// </summary>
    public static void Scan(PdfFile file, byte[] content, PdfDictionary? resources, Dictionary<int, HashSet<int>> glyphs, HashSet<int> forms)
    {
        var fonts = resources?["Font"] is { } f ? file.ResolveDictionary(f) : null;
        var programs = new Dictionary<string, HashSet<int>?>(StringComparer.Ordinal);
        HashSet<int>? current = null;
        var strings = new List<(int Start, int End)>();
        var literal = false;
        (int Start, int End) name = (-1, -1);
        var span = content.AsSpan();
        var i = 0;
        var inText = false;
        int nextText = -2, nextDraw = -2; // the next "BT" and "Do" found, -2 before the first search
        var font = false; // a Tf seen in the current text object
        while (i < span.Length)
        {
            if (!inText)
            {
                // Outside a text object only a form (Do) can show glyphs: jump to the next "BT" or "Do" (neither can be
                // part of a number, a name's end or a hexadecimal string; both are checked to be whole tokens).
                var next = NextOperator(span, i, ref nextText, ref nextDraw);
                if (next < 0)
                {
                    break;
                }

                i = next;
                name = next >= 2 && span[next] == 'D' ? PrecedingName(span, next) : (-1, -1);
            }

            var b = span[i];
            switch (b)
            {
                case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0 or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}':
                    i++;
                    continue;
                case (byte)'%':
                    while (i < span.Length && span[i] is not ((byte)'\n' or (byte)'\r'))
                    {
                        i++;
                    }

                    continue;
                case (byte)'/':
                {
                    var j = i + 1;
                    while (j < span.Length && IsRegular(span[j]))
                    {
                        j++;
                    }

                    name = (i + 1, j);
                    i = j;
                    continue;
                }

                case (byte)'<' when i + 1 < span.Length && span[i + 1] == '<':
                case (byte)'>' when i + 1 < span.Length && span[i + 1] == '>':
                    i += 2;
                    continue;
                case (byte)'<':
                {
                    var close = span[i..].IndexOf((byte)'>');
                    if (close < 0)
                    {
                        throw new InvalidDataException("An unterminated hexadecimal string.");
                    }

                    strings.Add((i, i + close + 1));
                    i += close + 1;
                    continue;
                }

                case (byte)'(':
                    i = SkipLiteral(span, i);
                    literal = true;
                    continue;
                case (byte)'>' or (byte)')':
                    throw new InvalidDataException("An unbalanced delimiter in a content stream.");
            }

            var end = i;
            while (end < span.Length && IsRegular(span[end]))
            {
                end++;
            }

            var token = span[i..end];
            i = end;
            if (token[0] is (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'-' or (byte)'.')
            {
                continue; // a number
            }

            if (token.SequenceEqual("BT"u8))
            {
                inText = true;
                font = false;
                current = null; // Skia sets the font in every text object; text shown before a Tf is refused below
            }
            else if (token.SequenceEqual("ET"u8))
            {
                inText = false;
            }
            else if (token.SequenceEqual("Tf"u8))
            {
                font = true;
                current = name.Start < 0 ? null : Program(System.Text.Encoding.Latin1.GetString(span[name.Start..name.End]));
            }
            else if (token.SequenceEqual("Tj"u8) || token.SequenceEqual("TJ"u8) || token.SequenceEqual("'"u8) || token.SequenceEqual("\""u8))
            {
                if (current is null && !font)
                {
                    throw new InvalidDataException("Text shown before any font was set in its text object.");
                }

                if (current is not null)
                {
                    if (literal)
                    {
                        throw new InvalidDataException("Text shown with a literal string: this reader only reads hexadecimal glyph codes.");
                    }

                    foreach (var (start, stop) in strings)
                    {
                        AddCodes(span[start..stop], current);
                    }
                }
            }
            else if (token.SequenceEqual("Do"u8) && name.Start >= 0)
            {
                DrawForm(System.Text.Encoding.Latin1.GetString(span[name.Start..name.End]));
            }
            else if (token.SequenceEqual("BI"u8))
            {
                throw new InvalidDataException("An inline image: this reader does not skip its data.");
            }

            // An operator ends its operands.
            strings.Clear();
            literal = false;
            name = (-1, -1);
        }

        HashSet<int>? Program(string fontName)
        {
            if (!programs.TryGetValue(fontName, out var set))
            {
                // A font the resources do not name cannot be told apart from one that is cut: the file is left whole.
                var reference = fonts?[fontName] as PdfReference ?? throw new InvalidDataException($"The font /{fontName} is not in the page's resources.");
                set = PdfFontSubsetting.FontProgram(file, reference) is { } program
                    ? glyphs.TryGetValue(program, out var known) ? known : glyphs[program] = []
                    : null;
                programs[fontName] = set;
            }

            return set;
        }

        void DrawForm(string objectName)
        {
            if (resources is not null && resources["XObject"] is { } objects
                && file.ResolveDictionary(objects)[objectName] is PdfReference target
                && file.Stream(target.Number).Dictionary is var dictionary
                && (dictionary["Subtype"] as PdfName)?.Value == "Form" && forms.Add(target.Number))
            {
                if (forms.Count > MaxForms)
                {
                    throw new InvalidDataException("Too many forms to read.");
                }

                var own = dictionary["Resources"] is { } formResources ? file.ResolveDictionary(formResources) : resources;
                Scan(file, file.Decoded(target.Number), own, glyphs, forms);
            }
        }
    }

    /// <summary>
    /// The position of the next whole "BT" or "Do" token at or after <paramref name="from"/>, or -1. The next candidate
    /// of each is kept between calls (<paramref name="bt"/>, <paramref name="draw"/>), so a stream is searched once.
    /// </summary>
    private static int NextOperator(ReadOnlySpan<byte> span, int from, ref int bt, ref int draw)
    {
        bt = Candidate(span, from, bt, "BT"u8);
        draw = Candidate(span, from, draw, "Do"u8);
        return bt < 0 ? draw : draw < 0 ? bt : Math.Min(bt, draw);
    }

    /// <summary>The first whole <paramref name="token"/> at or after <paramref name="from"/> (<paramref name="known"/> when still ahead), or -1.</summary>
    private static int Candidate(ReadOnlySpan<byte> span, int from, int known, ReadOnlySpan<byte> token)
    {
        if (known == -1 || known >= from)
        {
            return known; // none left, or still ahead
        }

        while (from < span.Length)
        {
            var at = span[from..].IndexOf(token);
            if (at < 0)
            {
                return -1;
            }

            var position = from + at;
            if ((position == 0 || !IsRegular(span[position - 1])) && (position + token.Length >= span.Length || !IsRegular(span[position + token.Length])))
            {
                return position;
            }

            from = position + 1;
        }

        return -1;
    }

    /// <summary>The name token just before the operator at <paramref name="at"/> ("/X1 Do"), or none.</summary>
    private static (int Start, int End) PrecedingName(ReadOnlySpan<byte> span, int at)
    {
        var end = at;
        while (end > 0 && !IsRegular(span[end - 1]) && span[end - 1] != '/')
        {
            end--;
        }

        var start = end;
        while (start > 0 && IsRegular(span[start - 1]))
        {
            start--;
        }

        return start > 0 && span[start - 1] == '/' && start < end ? (start, end) : (-1, -1);
    }

    private static bool IsRegular(byte b) =>
        b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0
            or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%');

    /// <summary>The position after a literal string (balanced parentheses, backslash escapes) that starts at <paramref name="start"/>.</summary>
    private static int SkipLiteral(ReadOnlySpan<byte> span, int start)
    {
        var depth = 0;
        for (var i = start; i < span.Length; i++)
        {
            switch (span[i])
            {
                case (byte)'\\':
                    i++;
                    break;
                case (byte)'(':
                    depth++;
                    break;
                case (byte)')' when --depth == 0:
                    return i + 1;
            }
        }

        throw new InvalidDataException("An unterminated literal string.");
    }

    /// <summary>Adds the two-byte codes of a hexadecimal string (Identity-H: code = glyph id); a literal string is not read.</summary>
    private static void AddCodes(ReadOnlySpan<byte> raw, HashSet<int> glyphs)
    {
        if (raw.Length < 2 || raw[0] != '<')
        {
            throw new InvalidDataException("Text shown with a literal string: this reader only reads hexadecimal glyph codes.");
        }

        var code = 0;
        var digits = 0;
        foreach (var b in raw[1..^1])
        {
            var digit = HexValue(b);
            if (digit < 0)
            {
                continue; // white space
            }

            code = (code << 4) | digit;
            if (++digits % 4 == 0)
            {
                glyphs.Add(code);
                code = 0;
            }
        }

        if (digits % 4 != 0)
        {
            glyphs.Add((code << (4 * (4 - (digits % 4)))) & 0xFFFF); // an odd final code is completed with zeros (§7.3.4.3)
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
