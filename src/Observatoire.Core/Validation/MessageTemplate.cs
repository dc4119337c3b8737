using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Observatoire.Core.Validation;

/// <summary>A violation's French message from its template in the schema, numbers in French, client text quoted.</summary>
internal static partial class MessageTemplate
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>
    /// The template with each <c>{name}</c> (lower-case letters and underscores) replaced by the last argument of that
    /// name, numbers in French, text quoted; a placeholder without an argument stays as written.
    /// </summary>
    internal static string Format(string template, IReadOnlyList<(string Name, object? Value)> arguments)
    {
        var open = template.IndexOf('{');
        if (open < 0)
        {
            return template;
        }

        var text = new StringBuilder(template.Length + 32);
        var at = 0;
        while (open >= 0)
        {
            var end = open + 1;
            while (end < template.Length && template[end] is (>= 'a' and <= 'z') or '_')
            {
                end++;
            }

            if (end > open + 1 && end < template.Length && template[end] == '}' && Find(arguments, template.AsSpan(open + 1, end - open - 1)) is { } found)
            {
                text.Append(template, at, open - at).Append(Render(arguments[found].Value));
                at = end + 1;
                open = template.IndexOf('{', at);
            }
            else
            {
                // Not a placeholder, or one without an argument: kept, and the scan goes on from the next character.
                open = template.IndexOf('{', open + 1);
            }
        }

        return text.Append(template, at, template.Length - at).ToString();

        static int? Find(IReadOnlyList<(string Name, object? Value)> arguments, ReadOnlySpan<char> name)
        {
            for (var i = arguments.Count - 1; i >= 0; i--)
            {
                if (name.SequenceEqual(arguments[i].Name))
                {
                    return i;
                }
            }

            return null;
        }

        static string Render(object? value) => value switch
        {
            null => "",
            _ when Number(value) is { } number => number,
            _ => ClientText.Quote(value.ToString()),
        };
    }

    /// <summary>A number in French; whole numbers exactly (a 64-bit count is not rounded through a double).</summary>
    private static string? Number(object value) => value switch
    {
        long whole => whole.ToString("#,0", French),
        int whole => whole.ToString("#,0", French),
        double real => real.ToString("#,0.##", French),
        _ => null,
    };

    /// <summary>The former regular-expression form of <see cref="Format"/>, kept for the tests that compare the two.</summary>
    internal static string FormatByRegex(string template, IEnumerable<(string Name, object? Value)> arguments)
    {
        var lookup = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            lookup[name] = value;
        }

        return Placeholder().Replace(template, m => lookup.TryGetValue(m.Groups[1].Value, out var value)
            ? value switch
            {
                null => "",
                _ when Number(value) is { } number => number,
                _ => ClientText.Quote(value.ToString()),
            }
            : m.Value);
    }

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
