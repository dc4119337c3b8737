using System.Globalization;
using Observatoire.Workbooks;

namespace Observatoire.Cli.Workbooks;

/// <summary>A schema rule written as spreadsheet formulas over the cells of one sheet.</summary>
/// <param name="Condition">True when the rule holds, e.g. "SUM(B12:B15)=B6".</param>
/// <param name="Left">The left side of the comparison, when the rule is a single comparison.</param>
/// <param name="Right">The right side, likewise.</param>
public sealed record RuleFormula(string Condition, string? Left, string? Right);

/// <summary>
/// Translates the schema's rule language (sums of cells compared, joined by and/or) into spreadsheet formulas, so
/// that a workbook shows a broken rule while it is being filled. The server stays the judge: a rule that names a
/// cell the sheet does not have, or that does not parse, is not translated (null) and only the server checks it.
/// </summary>
public static class RuleFormulas
{
    private static readonly string[] Comparators = ["==", "!=", "<=", ">=", "<", ">"];

    /// <summary>Translates <paramref name="expression"/>; <paramref name="addressesOf"/> gives the addresses of the cells a pattern names.</summary>
    public static RuleFormula? TryTranslate(string expression, Func<CellPattern, IReadOnlyList<string>> addressesOf)
    {
        try
        {
            var parser = new Parser(expression, addressesOf);
            var result = parser.ParseOr();
            parser.ExpectEnd();
            return result.IsBoolean ? new RuleFormula(result.Text, result.Left, result.Right) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Addresses as few range arguments as possible: consecutive rows of a column become "B4:B9".</summary>
    public static string Ranges(IEnumerable<string> addresses)
    {
        var cells = addresses.Select(Split).OrderBy(c => c.Column, StringComparer.Ordinal).ThenBy(c => c.Row).ToList();
        var parts = new List<string>();
        for (var i = 0; i < cells.Count;)
        {
            var j = i;
            while (j + 1 < cells.Count && cells[j + 1].Column == cells[i].Column && cells[j + 1].Row == cells[j].Row + 1)
            {
                j++;
            }

            parts.Add(i == j ? $"{cells[i].Column}{cells[i].Row}" : $"{cells[i].Column}{cells[i].Row}:{cells[j].Column}{cells[j].Row}");
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    private static (string Column, int Row) Split(string address)
    {
        var digits = address.IndexOfAny("0123456789".ToCharArray());
        return (address[..digits], int.Parse(address[digits..], CultureInfo.InvariantCulture));
    }

    private sealed record Part(string Text, bool IsBoolean, string? Left = null, string? Right = null);

    private sealed class Parser(string text, Func<CellPattern, IReadOnlyList<string>> addressesOf)
    {
        private int _position;

        public Part ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("or"))
            {
                left = new Part($"OR({left.Text},{ParseAnd().Text})", true);
            }

            return left;
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position < text.Length)
            {
                throw new FormatException();
            }
        }

        private Part ParseAnd()
        {
            var left = ParseComparison();
            while (TryKeyword("and"))
            {
                left = new Part($"AND({left.Text},{ParseComparison().Text})", true);
            }

            return left;
        }

        private Part ParseComparison()
        {
            SkipSpaces();
            if (Peek('('))
            {
                var save = _position;
                _position++;
                try
                {
                    var inner = ParseOr();
                    SkipSpaces();
                    if (Peek(')') && inner.IsBoolean)
                    {
                        _position++;
                        return new Part($"({inner.Text})", true);
                    }
                }
                catch (FormatException)
                {
                    // Not a parenthesised condition: a parenthesised sum, read below.
                }

                _position = save;
            }

            var left = ParseSum();
            SkipSpaces();
            var op = Comparators.FirstOrDefault(c => string.CompareOrdinal(text, _position, c, 0, c.Length) == 0)
                ?? throw new FormatException();
            _position += op.Length;
            var right = ParseSum();
            var excel = op switch
            {
                "==" => "=",
                "!=" => "<>",
                _ => op,
            };
            return new Part($"{left}{excel}{right}", true, left, right);
        }

        private string ParseSum()
        {
            var result = ParseTerm();
            while (true)
            {
                SkipSpaces();
                if (!Peek('+') && !Peek('-'))
                {
                    return result;
                }

                var op = text[_position++];
                result = $"({result}{op}{ParseTerm()})";
            }
        }

        private string ParseTerm()
        {
            SkipSpaces();
            if (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                var start = _position;
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }

                return text[start.._position];
            }

            if (Peek('('))
            {
                _position++;
                var inner = ParseSum();
                Expect(')');
                return $"({inner})";
            }

            if (TryKeyword("sum"))
            {
                Expect('(');
                var addresses = Reference(allowWildcard: true);
                Expect(')');
                return $"SUM({Ranges(addresses)})";
            }

            var single = Reference(allowWildcard: false);
            return single.Count == 1 ? single[0] : throw new FormatException();
        }

        private IReadOnlyList<string> Reference(bool allowWildcard)
        {
            SkipSpaces();
            var start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            if (Peek('['))
            {
                var close = text.IndexOf(']', _position);
                _position = close < 0 ? throw new FormatException() : close + 1;
            }

            var pattern = CellPattern.TryParse(text[start.._position]) ?? throw new FormatException();
            if (!pattern.IsExact && !allowWildcard)
            {
                throw new FormatException();
            }

            var addresses = addressesOf(pattern);
            return addresses.Count == 0 ? throw new FormatException() : addresses;
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpaces();
            var end = _position + keyword.Length;
            if (string.CompareOrdinal(text, _position, keyword, 0, keyword.Length) == 0
                && (end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
                && (keyword != "sum" || text.AsSpan(end).TrimStart().StartsWith("(")))
            {
                _position = end;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if (!Peek(c))
            {
                throw new FormatException();
            }

            _position++;
        }

        private bool Peek(char c) => _position < text.Length && text[_position] == c;

        private void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}
