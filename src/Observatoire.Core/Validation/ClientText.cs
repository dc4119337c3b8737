using System.Text;

namespace Observatoire.Core.Validation;

/// <summary>Client text quoted back in a message: short and printable, so that an error never echoes an oversized or hostile input.</summary>
public static class ClientText
{
    /// <summary>Longest client text quoted in a message, in characters.</summary>
    public const int MaxQuoted = 64;

    /// <summary>
    /// Whether a name would be read as a formula by a spreadsheet opening a file it is exported to (OWASP's CSV
    /// injection): it begins, after any white space, with = + - or @. Names are refused so where they are entered.
    /// </summary>
    public static bool StartsLikeAFormula(string? text) =>
        text?.TrimStart() is { Length: > 0 } trimmed && trimmed[0] is '=' or '+' or '-' or '@';

    /// <summary>The text cut to <paramref name="max"/> characters (with "…"), control characters shown as "?".</summary>
    public static string Quote(string? text, int max = MaxQuoted)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var cut = text.Length > max;
        var span = cut ? text.AsSpan(0, char.IsHighSurrogate(text[max - 1]) ? max - 1 : max) : text.AsSpan();
        var builder = new StringBuilder(span.Length + 1);
        foreach (var c in span)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return cut ? builder.Append('…').ToString() : builder.ToString();
    }
}
