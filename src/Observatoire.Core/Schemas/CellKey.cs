using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Observatoire.Core.Schemas;

/// <summary>
/// A cell address: an indicator total ("personnes_recues") or a breakdown cell
/// ("personnes_recues[sexe=femme,tranche_age=moins_13]").
/// </summary>
public sealed record CellKey(string Indicator, IReadOnlyList<KeyValuePair<string, string>> Coordinates)
{
    public bool IsTotal => Coordinates.Count == 0;

    public static CellKey Total(string indicator) => new(indicator, []);

    public static bool TryParse(string text, [NotNullWhen(true)] out CellKey? key)
    {
        key = null;
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            if (!IsCode(text))
            {
                return false;
            }

            key = Total(text);
            return true;
        }

        if (!text.EndsWith(']') || open == 0)
        {
            return false;
        }

        var indicator = text[..open];
        if (!IsCode(indicator))
        {
            return false;
        }

        var coordinates = new List<KeyValuePair<string, string>>();
        foreach (var part in text[(open + 1)..^1].Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var dimension = part[..eq].Trim();
            var option = part[(eq + 1)..].Trim();
            if (!IsCode(dimension) || !(IsCode(option) || option == "*") || coordinates.Any(c => c.Key == dimension))
            {
                return false;
            }

            coordinates.Add(new(dimension, option));
        }

        key = new CellKey(indicator, coordinates);
        return true;
    }

    /// <summary>The canonical text, with coordinates in the given dimension order.</summary>
    public static string Format(string indicator, IEnumerable<KeyValuePair<string, string>> coordinates)
    {
        var builder = new StringBuilder(indicator);
        var first = true;
        foreach (var (dimension, option) in coordinates)
        {
            builder.Append(first ? '[' : ',').Append(dimension).Append('=').Append(option);
            first = false;
        }

        if (!first)
        {
            builder.Append(']');
        }

        return builder.ToString();
    }

    public override string ToString() => Format(Indicator, Coordinates);

    private static bool IsCode(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
