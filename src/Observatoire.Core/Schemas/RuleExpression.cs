using System.Globalization;

namespace Observatoire.Core.Schemas;

/// <summary>
/// The schema's small rule language: integer sums of cells compared with each other, joined by
/// <c>and</c> / <c>or</c>. Examples: <c>sum(personnes_recues[statut=*]) == personnes_recues</c>,
/// <c>informations_preoccupantes == 0 or problematiques[problematique=mineur_en_danger] &gt; 0</c>.
/// A <c>*</c> option ranges over every option of that dimension.
/// </summary>
public sealed class RuleExpression
{
    private readonly Node _root;

    private RuleExpression(string text, Node root)
    {
        Text = text;
        _root = root;
        ReferencedCells = [.. Nodes(_root).OfType<CellSum>().SelectMany(c => c.Indices).Distinct()];
    }

    public string Text { get; }

    /// <summary>Every cell the expression reads, as layout indices (computed once: validation asks for every grid).</summary>
    public IReadOnlyList<int> ReferencedCells { get; }

    /// <summary>Parses the text and resolves every cell reference against the layout.</summary>
    /// <exception cref="FormatException">The text is not a valid expression or names an unknown cell.</exception>
    public static RuleExpression Parse(string text, CellLayout layout)
    {
        var parser = new Parser(text, layout);
        var node = parser.ParseOr();
        parser.ExpectEnd();
        return new RuleExpression(text, node);
    }

    /// <summary>Evaluates the rule on a dense cell vector.</summary>
    /// <returns>Whether the rule holds, and the two sides of the first failing comparison.</returns>
    public RuleOutcome Evaluate(IReadOnlyList<long> cells)
    {
        var failed = default(RuleOutcome?);
        var holds = Eval(_root, cells, ref failed);
        return holds ? RuleOutcome.Holds : failed ?? new RuleOutcome(false, 0, 0);
    }

    private static bool Eval(Node node, IReadOnlyList<long> cells, ref RuleOutcome? failed)
    {
        switch (node)
        {
            case Or or:
                return Eval(or.Left, cells, ref failed) || Eval(or.Right, cells, ref failed);
            case And and:
                return Eval(and.Left, cells, ref failed) && Eval(and.Right, cells, ref failed);
            case Comparison comparison:
                var left = Value(comparison.Left, cells);
                var right = Value(comparison.Right, cells);
                var holds = comparison.Operator switch
                {
                    "==" => left == right,
                    "!=" => left != right,
                    "<=" => left <= right,
                    ">=" => left >= right,
                    "<" => left < right,
                    _ => left > right,
                };
                if (!holds)
                {
                    failed ??= new RuleOutcome(false, Saturate(left), Saturate(right));
                }

                return holds;
            default:
                throw new InvalidOperationException("A rule must be a comparison.");
        }
    }

    // 128-bit sums: a client may send any 64-bit values, and a wrapped sum could make a broken rule hold
    // (or throw if checked). A thousand 64-bit cells cannot overflow 128 bits.
    private static Int128 Value(Node node, IReadOnlyList<long> cells) => node switch
    {
        Number number => number.Value,
        CellSum sum => Sum(sum.Indices, cells),
        Arithmetic arithmetic => arithmetic.Operator == '+'
            ? Value(arithmetic.Left, cells) + Value(arithmetic.Right, cells)
            : Value(arithmetic.Left, cells) - Value(arithmetic.Right, cells),
        _ => throw new InvalidOperationException("A comparison side must be a number."),
    };

    private static Int128 Sum(int[] indices, IReadOnlyList<long> cells)
    {
        Int128 total = 0;
        foreach (var i in indices)
        {
            total += cells[i];
        }

        return total;
    }

    private static long Saturate(Int128 value) =>
        value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;

    private static IEnumerable<Node> Nodes(Node node)
    {
        yield return node;
        var children = node switch
        {
            Or or => [or.Left, or.Right],
            And and => [and.Left, and.Right],
            Comparison c => [c.Left, c.Right],
            Arithmetic a => [a.Left, a.Right],
            _ => Array.Empty<Node>(),
        };
        foreach (var child in children.SelectMany(Nodes))
        {
            yield return child;
        }
    }

    private abstract record Node;

    private sealed record Or(Node Left, Node Right) : Node;

    private sealed record And(Node Left, Node Right) : Node;

    private sealed record Comparison(string Operator, Node Left, Node Right) : Node;

    private sealed record Arithmetic(char Operator, Node Left, Node Right) : Node;

    private sealed record Number(long Value) : Node;

    private sealed record CellSum(int[] Indices) : Node;

    private sealed class Parser(string text, CellLayout layout)
    {
        private static readonly string[] Comparators = ["==", "!=", "<=", ">=", "<", ">"];
        private int _position;

        public Node ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("or"))
            {
                left = new Or(left, ParseAnd());
            }

            return left;
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position < text.Length)
            {
                throw Error("unexpected text");
            }
        }

        private Node ParseAnd()
        {
            var left = ParseComparison();
            while (TryKeyword("and"))
            {
                left = new And(left, ParseComparison());
            }

            return left;
        }

        private Node ParseComparison()
        {
            SkipSpaces();
            if (Peek('('))
            {
                // A parenthesised boolean expression.
                var save = _position;
                _position++;
                var inner = ParseOr();
                SkipSpaces();
                if (Peek(')') && inner is not Number and not CellSum and not Arithmetic)
                {
                    _position++;
                    return inner;
                }

                _position = save;
            }

            var left = ParseSum();
            SkipSpaces();
            var op = Comparators.FirstOrDefault(c => string.CompareOrdinal(text, _position, c, 0, c.Length) == 0)
                ?? throw Error("comparison operator expected");
            _position += op.Length;
            return new Comparison(op, left, ParseSum());
        }

        private Node ParseSum()
        {
            var left = ParseTerm();
            while (true)
            {
                SkipSpaces();
                if (Peek('+') || Peek('-'))
                {
                    var op = text[_position++];
                    left = new Arithmetic(op, left, ParseTerm());
                }
                else
                {
                    return left;
                }
            }
        }

        private Node ParseTerm()
        {
            SkipSpaces();
            if (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                var start = _position;
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }

                return new Number(long.Parse(text.AsSpan(start, _position - start), CultureInfo.InvariantCulture));
            }

            if (Peek('('))
            {
                _position++;
                var inner = ParseSum();
                Expect(')');
                return inner;
            }

            if (TryKeyword("sum"))
            {
                Expect('(');
                var cells = ParseCellReference(allowWildcard: true);
                Expect(')');
                return cells;
            }

            return ParseCellReference(allowWildcard: false);
        }

        private CellSum ParseCellReference(bool allowWildcard)
        {
            SkipSpaces();
            var start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            if (_position < text.Length && text[_position] == '[')
            {
                var close = text.IndexOf(']', _position);
                _position = close < 0 ? throw Error("missing ]") : close + 1;
            }

            var reference = text[start.._position];
            if (!CellKey.TryParse(reference, out var key))
            {
                throw Error($"invalid cell reference '{reference}'");
            }

            var wildcard = key.Coordinates.Any(c => c.Value == "*");
            if (wildcard && !allowWildcard)
            {
                throw Error($"'{reference}' has a wildcard: wrap it in sum(...)");
            }

            var indices = layout.Cells
                .Where(cell => Matches(cell, key))
                .Select(cell => cell.Index)
                .ToArray();
            return indices.Length == 0 ? throw Error($"'{reference}' names no cell of the schema") : new CellSum(indices);
        }

        private static bool Matches(CellDefinition cell, CellKey key)
        {
            if (cell.Indicator.Code != key.Indicator)
            {
                return false;
            }

            if (key.IsTotal)
            {
                return cell.IsTotal;
            }

            if (cell.Breakdown is null || cell.Breakdown.Dimensions.Count != key.Coordinates.Count)
            {
                return false;
            }

            return key.Coordinates.All(c =>
            {
                var position = cell.Breakdown.Dimensions.ToList().FindIndex(d => d.Code == c.Key);
                return position >= 0 && (c.Value == "*" || cell.Options[position].Code == c.Value);
            });
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpaces();
            var end = _position + keyword.Length;
            if (string.CompareOrdinal(text, _position, keyword, 0, keyword.Length) == 0
                && (end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
                && (keyword != "sum" || (end < text.Length && text.AsSpan(end).TrimStart().StartsWith("("))))
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
                throw Error($"'{c}' expected");
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

        private FormatException Error(string what) => new($"Rule expression '{text}', position {_position}: {what}.");
    }
}

/// <summary>The result of evaluating a rule: the two sides of the first comparison that failed.</summary>
public readonly record struct RuleOutcome(bool Ok, long Left, long Right)
{
    public static RuleOutcome Holds => new(true, 0, 0);
}
