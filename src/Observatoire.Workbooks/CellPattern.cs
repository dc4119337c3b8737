namespace Observatoire.Workbooks;

/// <summary>
/// A cell path or a pattern of cell paths as the schema's rules write them: "personnes_recues",
/// "personnes_recues[statut=victime]", "personnes_recues[sexe=*,tranche_age=*]" (a * stands for every option).
/// </summary>
public sealed record CellPattern(string Indicator, IReadOnlyList<KeyValuePair<string, string>> Coordinates)
{
    /// <summary>Whether the pattern names one cell (no *).</summary>
    public bool IsExact => Coordinates.All(c => c.Value != "*");

    /// <summary>Parses a path or pattern; null when malformed.</summary>
    public static CellPattern? TryParse(string text)
    {
        text = text.Trim();
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return IsCode(text) ? new CellPattern(text, []) : null;
        }

        if (open == 0 || !text.EndsWith(']') || !IsCode(text[..open]))
        {
            return null;
        }

        var coordinates = new List<KeyValuePair<string, string>>();
        foreach (var part in text[(open + 1)..^1].Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return null;
            }

            var dimension = part[..eq].Trim();
            var option = part[(eq + 1)..].Trim();
            if (!IsCode(dimension) || !(IsCode(option) || option == "*"))
            {
                return null;
            }

            coordinates.Add(new(dimension, option));
        }

        return new CellPattern(text[..open], coordinates);
    }

    /// <summary>Whether a concrete cell path is one of the cells the pattern names.</summary>
    public bool Matches(string path)
    {
        if (TryParse(path) is not { } cell || cell.Indicator != Indicator || cell.Coordinates.Count != Coordinates.Count)
        {
            return false;
        }

        return Coordinates.All(c => cell.Coordinates.Any(o => o.Key == c.Key && (c.Value == "*" || o.Value == c.Value)));
    }

    private static bool IsCode(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
