using System.Globalization;
using System.Text;

namespace Observatoire.Reporting.Document.Pdf;

/// <summary>A PDF object as read (ISO 32000-1 §7.3), with the byte range it was read from so it can be copied as is.</summary>
internal abstract record PdfValue(int Start, int End);

internal sealed record PdfNumber(double Value, int Start, int End) : PdfValue(Start, End);

internal sealed record PdfName(string Value, int Start, int End) : PdfValue(Start, End);

/// <summary>A literal or hexadecimal string, kept as its raw bytes (only copied, never decoded).</summary>
internal sealed record PdfString(int Start, int End) : PdfValue(Start, End);

internal sealed record PdfKeyword(string Value, int Start, int End) : PdfValue(Start, End);

internal sealed record PdfReference(int Number, int Generation, int Start, int End) : PdfValue(Start, End);

internal sealed record PdfArray(IReadOnlyList<PdfValue> Items, int Start, int End) : PdfValue(Start, End);

/// <summary>A dictionary; keys are names without their slash, in file order.</summary>
internal sealed record PdfDictionary(IReadOnlyList<KeyValuePair<string, PdfValue>> Entries, int Start, int End) : PdfValue(Start, End)
{
    public PdfValue? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}

/// <summary>
/// Reads PDF objects from bytes: the small subset a writer's own output needs (dictionaries, arrays,
/// names, numbers, strings, references, keywords). Streams are never decoded. Every read is bounded
/// by the buffer and by a nesting depth; malformed input raises <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class PdfSyntax(ReadOnlyMemory<byte> bytes)
{
    private const int MaxDepth = 64;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    private ReadOnlySpan<byte> Span => Bytes.Span;

    /// <summary>Reads the value that starts at or after <paramref name="position"/> (white space and comments skipped).</summary>
    public PdfValue ReadValue(ref int position) => ReadValue(ref position, 0);

    /// <summary>Reads "n g obj value" at <paramref name="offset"/> and returns the value.</summary>
    public PdfValue ReadIndirectObject(int offset, int expectedNumber)
    {
        var position = offset;
        var number = ReadValue(ref position) as PdfNumber;
        var generation = ReadValue(ref position) as PdfNumber;
        var keyword = ReadValue(ref position) as PdfKeyword;
        if (number is null || generation is null || keyword?.Value != "obj" || (int)number.Value != expectedNumber)
        {
            throw new InvalidDataException($"No object {expectedNumber} at offset {offset}.");
        }

        return ReadValue(ref position);
    }

    /// <summary>Skips white space and comments; returns false at the end of the bytes.</summary>
    public bool SkipSpace(ref int position)
    {
        var span = Span;
        while (position < span.Length)
        {
            var b = span[position];
            if (IsWhite(b))
            {
                position++;
            }
            else if (b == '%')
            {
                while (position < span.Length && span[position] is not (byte)'\n' and not (byte)'\r')
                {
                    position++;
                }
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads an unsigned decimal integer of at most <paramref name="maxDigits"/> digits.</summary>
    public long ReadInteger(ref int position, int maxDigits = 10)
    {
        if (!SkipSpace(ref position) || !IsDigit(Span[position]))
        {
            throw new InvalidDataException($"An integer was expected at offset {position}.");
        }

        long value = 0;
        var digits = 0;
        while (position < Span.Length && IsDigit(Span[position]))
        {
            if (++digits > maxDigits)
            {
                throw new InvalidDataException($"Integer too long at offset {position}.");
            }

            value = value * 10 + (Span[position++] - '0');
        }

        return value;
    }

    /// <summary>True when the bytes at <paramref name="position"/> (after white space) are <paramref name="keyword"/>; moves past it.</summary>
    public bool TryKeyword(ref int position, string keyword)
    {
        var at = position;
        if (!SkipSpace(ref at) || at + keyword.Length > Span.Length)
        {
            return false;
        }

        for (var i = 0; i < keyword.Length; i++)
        {
            if (Span[at + i] != keyword[i])
            {
                return false;
            }
        }

        position = at + keyword.Length;
        return true;
    }

    private PdfValue ReadValue(ref int position, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException("Objects nested too deeply.");
        }

        if (!SkipSpace(ref position))
        {
            throw new InvalidDataException("Unexpected end of the PDF.");
        }

        var span = Span;
        var start = position;
        var b = span[position];
        switch (b)
        {
            case (byte)'/':
                position++;
                var name = new StringBuilder();
                while (position < span.Length && !IsWhite(span[position]) && !IsDelimiter(span[position]))
                {
                    name.Append((char)span[position++]);
                }

                return new PdfName(name.ToString(), start, position);
            case (byte)'(':
                SkipLiteralString(ref position);
                return new PdfString(start, position);
            case (byte)'<' when position + 1 < span.Length && span[position + 1] == '<':
                return ReadDictionary(ref position, depth);
            case (byte)'<':
                var close = span[position..].IndexOf((byte)'>');
                if (close < 0)
                {
                    throw new InvalidDataException($"Unterminated hexadecimal string at offset {start}.");
                }

                position += close + 1;
                return new PdfString(start, position);
            case (byte)'[':
                position++;
                var items = new List<PdfValue>();
                while (SkipSpace(ref position) && span[position] != ']')
                {
                    items.Add(ReadValue(ref position, depth + 1));
                }

                if (position >= span.Length)
                {
                    throw new InvalidDataException($"Unterminated array at offset {start}.");
                }

                position++;
                return new PdfArray(items, start, position);
        }

        if (IsDigit(b) || b is (byte)'-' or (byte)'+' or (byte)'.')
        {
            var number = ReadNumber(ref position);
            // "n g R" is a reference.
            var after = position;
            if (number.Value >= 0 && number.Value == Math.Floor(number.Value) && SkipSpace(ref after) && IsDigit(span[after]))
            {
                var probe = after;
                var generation = ReadNumber(ref probe);
                var r = probe;
                if (SkipSpace(ref r) && span[r] == 'R' && (r + 1 == span.Length || IsWhite(span[r + 1]) || IsDelimiter(span[r + 1])))
                {
                    position = r + 1;
                    return new PdfReference(checked((int)number.Value), checked((int)generation.Value), start, position);
                }
            }

            return number;
        }

        var word = new StringBuilder();
        while (position < span.Length && !IsWhite(span[position]) && !IsDelimiter(span[position]) && word.Length < 32)
        {
            word.Append((char)span[position++]);
        }

        if (word.Length == 0)
        {
            throw new InvalidDataException($"Unexpected byte 0x{b:X2} at offset {start}.");
        }

        return new PdfKeyword(word.ToString(), start, position);
    }

    private PdfDictionary ReadDictionary(ref int position, int depth)
    {
        var start = position;
        position += 2;
        var entries = new List<KeyValuePair<string, PdfValue>>();
        var span = Span;
        while (SkipSpace(ref position) && !(span[position] == '>' && position + 1 < span.Length && span[position + 1] == '>'))
        {
            if (ReadValue(ref position, depth + 1) is not PdfName key)
            {
                throw new InvalidDataException($"A dictionary key is not a name (dictionary at offset {start}).");
            }

            entries.Add(new(key.Value, ReadValue(ref position, depth + 1)));
        }

        if (position >= span.Length)
        {
            throw new InvalidDataException($"Unterminated dictionary at offset {start}.");
        }

        position += 2;
        return new PdfDictionary(entries, start, position);
    }

    private PdfNumber ReadNumber(ref int position)
    {
        var span = Span;
        var start = position;
        while (position < span.Length && (IsDigit(span[position]) || span[position] is (byte)'-' or (byte)'+' or (byte)'.') && position - start < 32)
        {
            position++;
        }

        var text = Encoding.ASCII.GetString(span[start..position]);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidDataException($"Invalid number \"{text}\" at offset {start}.");
        }

        return new PdfNumber(value, start, position);
    }

    private void SkipLiteralString(ref int position)
    {
        var span = Span;
        var start = position;
        var nesting = 0;
        while (position < span.Length)
        {
            var b = span[position++];
            if (b == '\\')
            {
                position++;
            }
            else if (b == '(')
            {
                nesting++;
            }
            else if (b == ')' && --nesting == 0)
            {
                return;
            }
        }

        throw new InvalidDataException($"Unterminated string at offset {start}.");
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsWhite(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    private static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';
}
