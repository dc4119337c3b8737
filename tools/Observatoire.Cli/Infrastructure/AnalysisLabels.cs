using System.Globalization;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Infrastructure;

/// <summary>Names and French labels of the aggregate contract's values (levels, granularities, statuses), and number formats.</summary>
public static class AnalysisLabels
{
    private static readonly Dictionary<string, AreaLevel> LevelNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["national"] = AreaLevel.National,
        ["nation"] = AreaLevel.National,
        ["france"] = AreaLevel.National,
        ["region"] = AreaLevel.Region,
        ["région"] = AreaLevel.Region,
        ["departement"] = AreaLevel.Department,
        ["département"] = AreaLevel.Department,
        ["department"] = AreaLevel.Department,
        ["dep"] = AreaLevel.Department,
        ["poste"] = AreaLevel.Post,
        ["post"] = AreaLevel.Post,
    };

    private static readonly Dictionary<string, Granularity> GranularityNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mois"] = Granularity.Month,
        ["month"] = Granularity.Month,
        ["mensuelle"] = Granularity.Month,
        ["trimestre"] = Granularity.Quarter,
        ["quarter"] = Granularity.Quarter,
        ["trimestrielle"] = Granularity.Quarter,
        ["annee"] = Granularity.Year,
        ["année"] = Granularity.Year,
        ["an"] = Granularity.Year,
        ["year"] = Granularity.Year,
        ["annuelle"] = Granularity.Year,
    };

    /// <summary>Accepted spellings of --level, French first.</summary>
    public const string LevelHelp = "national|region|departement|poste";

    /// <summary>Accepted spellings of --granularity, French first.</summary>
    public const string GranularityHelp = "mois|trimestre|annee";

    /// <summary>Reads a level: French words (national, région, département, poste) or English ones (region, department, post).</summary>
    public static bool TryParseLevel(string? text, out AreaLevel level)
    {
        level = AreaLevel.Unspecified;
        return text is not null && LevelNames.TryGetValue(text.Trim(), out level);
    }

    /// <summary>Reads a granularity: mois, trimestre, année (or month, quarter, year).</summary>
    public static bool TryParseGranularity(string? text, out Granularity granularity)
    {
        granularity = Granularity.Unspecified;
        return text is not null && GranularityNames.TryGetValue(text.Trim(), out granularity);
    }

    /// <summary>The granularity of a period text: "2025-03" is a month, "2025-T1" a quarter, "2025" a year; null otherwise.</summary>
    public static Granularity? GranularityOf(string period)
    {
        var text = period.Trim();
        if (text.Length == 4 && text.All(char.IsAsciiDigit))
        {
            return Granularity.Year;
        }

        if (text.Length == 7 && text[4] == '-' && (text[5] == 'T' || text[5] == 't'))
        {
            return Granularity.Quarter;
        }

        if (text.Length == 7 && text[4] == '-')
        {
            return Granularity.Month;
        }

        return null;
    }

    /// <summary>"national", "région", "département", "poste".</summary>
    public static string Level(AreaLevel level) => level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => "région",
        AreaLevel.Department => "département",
        AreaLevel.Post => "poste",
        _ => "non précisé",
    };

    /// <summary>Machine name of a level for CSV: "national", "region", "department", "post".</summary>
    public static string LevelCode(AreaLevel level) => level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => "region",
        AreaLevel.Department => "department",
        AreaLevel.Post => "post",
        _ => "",
    };

    /// <summary>"mois", "trimestre", "année".</summary>
    public static string GranularityName(Granularity granularity) => granularity switch
    {
        Protos.V1.Granularity.Month => "mois",
        Protos.V1.Granularity.Quarter => "trimestre",
        Protos.V1.Granularity.Year => "année",
        _ => "période",
    };

    /// <summary>"France", "Région Occitanie (76)", "Département Ariège (09)", "Poste P-09-001 — name".</summary>
    public static string Area(AreaInfo? area)
    {
        if (area is null)
        {
            return "—";
        }

        return area.Level switch
        {
            AreaLevel.National => string.IsNullOrEmpty(area.Name) ? "France" : area.Name,
            AreaLevel.Region => $"Région {NameAndCode(area)}",
            AreaLevel.Department => $"Département {NameAndCode(area)}",
            AreaLevel.Post => string.IsNullOrEmpty(area.Name) ? $"Poste {area.Code}" : $"Poste {area.Code} — {area.Name}",
            _ => NameAndCode(area),
        };
    }

    /// <summary>"Ariège (09)", or the code alone when the name is unknown.</summary>
    public static string NameAndCode(AreaInfo area) =>
        string.IsNullOrEmpty(area.Name) ? area.Code : string.IsNullOrEmpty(area.Code) ? area.Name : $"{area.Name} ({area.Code})";

    /// <summary>Machine name of a status for CSV.</summary>
    public static string StatusCode(FigureStatus status) => status switch
    {
        FigureStatus.Complete => "complete",
        FigureStatus.Partial => "partial",
        FigureStatus.NotDerivable => "not_derivable",
        FigureStatus.NoData => "no_data",
        FigureStatus.PartialExcluded => "partial_excluded",
        _ => "",
    };

    /// <summary>SDMX code of a confidentiality status: F, C, A, D or N.</summary>
    public static string ConfidentialityCode(Confidentiality confidentiality) => confidentiality switch
    {
        Confidentiality.Free => "F",
        Confidentiality.Primary => "A",
        Confidentiality.Secondary => "D",
        Confidentiality.Suppressed => "C",
        Confidentiality.Pending or Confidentiality.Withheld => "N",
        _ => "",
    };

    /// <summary>
    /// How a figure reads in a table: "1 234", "1 234*" when partial, "secret" when suppressed ("secret (A)" or "secret (D)" where the server publishes the distinction),
    /// "non dérivable", "partiel, exclu", or "—" without data.
    /// </summary>
    public static string FigureValue(long? value, FigureStatus status, Confidentiality confidentiality)
    {
        var partialMark = status == FigureStatus.Partial ? "*" : "";
        if (value is { } v)
        {
            return Labels.Number(v) + partialMark;
        }

        return (status, confidentiality) switch
        {
            (_, Confidentiality.Primary) => "secret (A)" + partialMark,
            (_, Confidentiality.Secondary) => "secret (D)" + partialMark,
            (_, Confidentiality.Suppressed) => "secret" + partialMark,
            (_, Confidentiality.Pending) => "secret en cours de calcul",
            (_, Confidentiality.Withheld) => "non publié (plan de secret indisponible)",
            (FigureStatus.NotDerivable, _) => "non dérivable",
            (FigureStatus.PartialExcluded, _) => "partiel, exclu",
            _ => "—",
        };
    }

    /// <summary>A decimal number the French way, with the given number of decimals at most: "12,5", "1 234,57".</summary>
    public static string Decimal(double value, int decimals = 1) =>
        value.ToString("#,0." + new string('#', Math.Max(decimals, 0)), Labels.French);

    /// <summary>A decimal number with a sign: "+3,2", "−1,5" (ASCII minus), "0".</summary>
    public static string SignedDecimal(double value, int decimals = 1)
    {
        var text = Decimal(Math.Abs(value), decimals);
        return text == "0" ? "0" : (value > 0 ? "+" : "-") + text;
    }

    /// <summary>A signed integer change: "+12", "-3", "0".</summary>
    public static string SignedNumber(long value) =>
        value == 0 ? "0" : (value > 0 ? "+" : "-") + Labels.Number(Math.Abs(value));

    /// <summary>A change in percent with its sign: "+12,5 %", "-3 %".</summary>
    public static string SignedPercent(double percent) => SignedDecimal(percent) + "\u00A0%";

    /// <summary>A share (0 to 1) as a percent: "97,5 %".</summary>
    public static string Percent(double share) => Decimal(share * 100) + "\u00A0%";

    /// <summary>The change column of a table: the percent when known, else the absolute change, else "—".</summary>
    public static string Change(long? change, double? percent) =>
        percent is { } p ? SignedPercent(p) : change is { } c ? SignedNumber(c) : "—";

    /// <summary>Formats numbers for a CSV file: French decimal comma with the ';' separator, a point otherwise; no grouping.</summary>
    public static CultureInfo CsvCulture(char separator) => separator == ';' ? Labels.French : CultureInfo.InvariantCulture;
}
