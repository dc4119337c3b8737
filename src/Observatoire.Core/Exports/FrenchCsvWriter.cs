using System.Globalization;
using System.Text;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Disclosure;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Exports;

/// <summary>
/// Writes published figures as a CSV that opens cleanly in a French spreadsheet: UTF-8 with BOM, ";" separated,
/// one row per figure with French labels. A secret figure has an empty value and says why in "confidentialite".
/// </summary>
public static class FrenchCsvWriter
{
    public static readonly IReadOnlyList<string> Columns =
        ["niveau", "code", "territoire", "periode", "indicateur", "cellule", "libelle", "valeur", "statut", "confidentialite"];

    public static byte[] ToBytes(FigureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)) { NewLine = "\r\n" })
        {
            writer.WriteLine(string.Join(';', Columns));
            foreach (var o in table.Observations)
            {
                writer.WriteLine(string.Join(';', new[]
                {
                    LevelName(o.Area.Level),
                    o.Area.Code,
                    o.Area.Name,
                    table.Period.ToString(),
                    o.Cell.Indicator.Code,
                    o.Cell.Key,
                    LabelOf(o.Cell),
                    o.Value?.ToString(CultureInfo.InvariantCulture) ?? "",
                    StatusName(o),
                    ConfidentialityName(o.Confidentiality),
                }.Select(Quote)));
            }
        }

        return stream.ToArray();
    }

    public static string LabelOf(CellDefinition cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Options.Count == 0 ? cell.Indicator.Label : $"{cell.Indicator.Label} — {string.Join(", ", cell.Options.Select(o => o.Label))}";
    }

    public static string LevelName(AreaLevel level) => level switch
    {
        AreaLevel.National => "national",
        AreaLevel.Region => "region",
        AreaLevel.Department => "departement",
        _ => "poste",
    };

    public static string StatusName(ExportObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return observation.Status switch
        {
            FigureStatus.Complete => "complet",
            FigureStatus.Partial when observation.PartialExcluded => "partiel exclu",
            FigureStatus.Partial => "partiel",
            FigureStatus.NotDerivable => "non dérivable",
            _ => "sans données",
        };
    }

    public static string ConfidentialityName(CellConfidentiality confidentiality) => confidentiality switch
    {
        CellConfidentiality.Primary => "secret primaire",
        CellConfidentiality.Secondary => "secret secondaire",
        CellConfidentiality.Suppressed => "secret",
        CellConfidentiality.Pending => "non publié (secret en cours de calcul)",
        CellConfidentiality.Free => "libre",
        _ => "non publié (plan de secret indisponible)",
    };

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
