using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Infrastructure;

/// <summary>French labels of contract values.</summary>
public static class Labels
{
    /// <summary>The French culture used for dates and numbers.</summary>
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>"somme", "dernière valeur", "non additionnable".</summary>
    public static string Aggregation(Aggregation aggregation) => aggregation switch
    {
        Protos.V1.Aggregation.Sum => "somme",
        Protos.V1.Aggregation.Last => "dernière valeur",
        Protos.V1.Aggregation.None => "non additionnable",
        _ => "non précisée",
    };

    /// <summary>"ERREUR", "AVERTISSEMENT".</summary>
    public static string Severity(Severity severity) => severity switch
    {
        Protos.V1.Severity.Error => "ERREUR",
        Protos.V1.Severity.Warning => "AVERTISSEMENT",
        _ => "NON PRÉCISÉE",
    };

    /// <summary>Spectre style of a severity.</summary>
    public static string SeverityStyle(Severity severity) => severity switch
    {
        Protos.V1.Severity.Error => "red",
        Protos.V1.Severity.Warning => "yellow",
        _ => "grey",
    };

    /// <summary>A timestamp in the given time zone, French format: "05/04/2025 14:32:10".</summary>
    public static string DateTime(Timestamp? timestamp, TimeZoneInfo timeZone)
    {
        if (timestamp is null)
        {
            return "—";
        }

        var local = TimeZoneInfo.ConvertTime(timestamp.ToDateTimeOffset(), timeZone);
        return local.ToString("dd/MM/yyyy HH:mm:ss", French);
    }

    /// <summary>An ISO date shown the French way ("2025-01-01" becomes "01/01/2025"); empty gives the placeholder.</summary>
    public static string IsoDate(string isoDate, string whenEmpty = "—")
    {
        if (string.IsNullOrEmpty(isoDate))
        {
            return whenEmpty;
        }

        return DateOnly.TryParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("dd/MM/yyyy", French)
            : isoDate;
    }

    /// <summary>A count with its noun, French style: 0 or 1 take the singular ("1 grille", "0 grille", "2 grilles").</summary>
    public static string Count(int count, string singular, string plural) =>
        $"{count.ToString("N0", French)} {(count <= 1 ? singular : plural)}";

    /// <summary>A number with French digit grouping.</summary>
    public static string Number(long value) => value.ToString("N0", French);

    /// <summary>A file size the French way: "812 octets", "45,2 Ko", "1,3 Mo" (units of 1 024 bytes).</summary>
    public static string Size(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes <= 1 ? $"{bytes} octet" : $"{Number(bytes)} octets";
        }

        var kilobytes = bytes / 1024.0;
        return kilobytes < 1024
            ? kilobytes.ToString("#,0.#", French) + "\u00A0Ko"
            : (kilobytes / 1024).ToString("#,0.#", French) + "\u00A0Mo";
    }
}
