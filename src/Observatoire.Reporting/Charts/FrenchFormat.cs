using System.Globalization;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// French number formatting for chart text: thousands grouped with a narrow no-break space
/// (U+202F, as .NET's fr-FR culture does, and which DejaVu Sans renders), decimal comma, and a
/// narrow no-break space before "%".
/// </summary>
public static class FrenchFormat
{
    /// <summary>Narrow no-break space, the French thousands separator.</summary>
    public const char Thin = '\u202F';

    private static readonly NumberFormatInfo Numbers = CreateNumbers();

    /// <summary>The culture charts use for months and numbers.</summary>
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("fr-FR");

    private static NumberFormatInfo CreateNumbers()
    {
        var nfi = (NumberFormatInfo)CultureInfo.GetCultureInfo("fr-FR").NumberFormat.Clone();
        nfi.NumberGroupSeparator = Thin.ToString();
        nfi.NumberDecimalSeparator = ",";
        nfi.NegativeSign = "\u2212";
        return NumberFormatInfo.ReadOnly(nfi);
    }

    /// <summary>"1 234", "12,5": at most <paramref name="maxDecimals"/> decimals, trailing zeros dropped.</summary>
    public static string Number(double value, int maxDecimals = 1)
    {
        var rounded = Math.Round(value, maxDecimals, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0; // no "-0"
        }

        var format = maxDecimals <= 0 ? "#,##0" : "#,##0." + new string('#', maxDecimals);
        return rounded.ToString(format, Numbers);
    }

    /// <summary>"12,5" with exactly <paramref name="decimals"/> decimals.</summary>
    public static string Fixed(double value, int decimals)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0;
        }

        return rounded.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Numbers);
    }

    /// <summary>"12,5 %" for 12.5 (a value already in percent).</summary>
    public static string Percent(double percent, int decimals = 1) => Fixed(percent, decimals) + Thin + "%";

    /// <summary>"+1,2" or "−0,4": signed, for slopes and changes.</summary>
    public static string Signed(double value, int maxDecimals = 1)
    {
        var text = Number(value, maxDecimals);
        return value > 0 && text != "0" ? "+" + text : text;
    }

    /// <summary>A tick formatter: as many decimals as the tick step needs (at most 3).</summary>
    public static Func<double, string> TickFormatter(bool absolute = false) =>
        v =>
        {
            var x = absolute ? Math.Abs(v) : v;
            return Number(x, DecimalsFor(x));
        };

    private static int DecimalsFor(double v)
    {
        for (var d = 0; d < 3; d++)
        {
            var scaled = v * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, Math.Abs(scaled)))
            {
                return d;
            }
        }

        return 3;
    }

    /// <summary>
    /// What a published number shows as text: the value ("1 234", with "*" if partial) or why it is
    /// absent ("secret", "n.d.").
    /// </summary>
    public static string Published(PublishedNumber number, int maxDecimals = 0) =>
        number.Value is { } v
            ? Number(v, maxDecimals) + (number.Partial ? "*" : string.Empty)
            : AbsentLabel(number);

    /// <summary>As <see cref="Published(PublishedNumber, int)"/> with exactly <paramref name="decimals"/> decimals ("66,0").</summary>
    public static string PublishedFixed(PublishedNumber number, int decimals) =>
        number.Value is { } v
            ? Fixed(v, decimals) + (number.Partial ? "*" : string.Empty)
            : AbsentLabel(number);

    /// <summary>The label of a value that is not shown: "secret" (A, D) or "n.d." (anything else).</summary>
    public static string AbsentLabel(PublishedNumber number) => number.IsSecret ? "secret" : "n.d.";

    /// <summary>True when the value is drawn (not suppressed, not missing, finite).</summary>
    internal static bool IsShown(PublishedNumber? number) =>
        number?.Value is { } v && double.IsFinite(v);

    /// <summary>Upper-cases the first letter.</summary>
    internal static string Capitalize(string text) =>
        string.IsNullOrEmpty(text) ? text : char.ToUpper(text[0], Culture) + text[1..];

    /// <summary>
    /// An axis label for a unit: "Nombre de personnes", "Nombre d'orientations"; a unit that
    /// already names a quantity ("%", "taux ...", "part ...") is kept as is.
    /// </summary>
    internal static string QuantityLabel(string unit)
    {
        var u = unit.Trim();
        if (u.Length == 0)
        {
            return "Effectif";
        }

        if (u == "%")
        {
            return "Part (%)";
        }

        var lower = u.ToLower(Culture);
        string[] quantityWords = ["nombre", "taux", "part", "proportion", "pourcentage", "effectif", "moyenne", "durée", "délai", "%", "pour "];
        if (quantityWords.Any(w => lower.StartsWith(w, StringComparison.Ordinal)) || char.IsDigit(u[0]))
        {
            return Capitalize(u);
        }

        return "Nombre " + Of(u);
    }

    /// <summary>"de personnes", "d'orientations", "d'hommes".</summary>
    internal static string Of(string noun)
    {
        if (noun.Length == 0)
        {
            return "de";
        }

        var first = char.ToLower(noun[0], Culture);
        return "aeiouyhâàéèêëîïôöûüœ".Contains(first) ? "d'" + noun : "de " + noun;
    }
}
