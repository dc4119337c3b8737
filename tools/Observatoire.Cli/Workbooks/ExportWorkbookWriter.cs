using System.Globalization;
using ClosedXML.Excel;
using CsvHelper;

namespace Observatoire.Cli.Workbooks;

/// <summary>
/// observatoire export --format xlsx: turns the server's French CSV export (the very file of --format csv, received and
/// checked) into an Excel workbook. Nothing is computed here: every row and column of the CSV is copied, the value as
/// a number, except that a secret figure (confidentiality other than "libre") shows the text of its confidentiality,
/// never a number. A "Lisez-moi" sheet says where the figures come from and what the confidentiality values mean.
/// </summary>
public static class ExportWorkbookWriter
{
    /// <summary>Name of the sheet of figures.</summary>
    public const string FiguresSheet = "Chiffres";

    /// <summary>Name of the sheet that explains the workbook.</summary>
    public const string ReadMeSheet = "Lisez-moi";

    /// <summary>Column of the CSV holding the figure.</summary>
    public const string ValueColumn = "valeur";

    /// <summary>Column of the CSV holding the confidentiality.</summary>
    public const string ConfidentialityColumn = "confidentialite";

    /// <summary>Confidentiality of a published figure in the CSV.</summary>
    public const string FreeConfidentiality = "libre";

    /// <summary>
    /// Writes the workbook of the CSV export <paramref name="csv"/> to <paramref name="output"/>. Throws
    /// <see cref="FormatException"/> (French message) when the CSV is not the export's: no value or confidentiality
    /// column, a value that is not a number, or a secret row that carries a number.
    /// </summary>
    public static void Write(string csv, ExportWorkbookInfo info, Stream output)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(info);
        if (csv.Length > 0 && csv[0] == '\uFEFF')
        {
            csv = csv[1..];
        }

        var options = new CsvReaderOptions
        {
            Separator = ';',
            HasHeader = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            DetectSeparatorHint = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            MissingField = CsvMissingFieldHandling.Throw,
        };

        // Texts are written with SetValue<string>: assigning Value a string such as "2025-03" or "01" makes ClosedXML 0.95 guess.
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(FiguresSheet);
        int rows;
        try
        {
            using var reader = CsvReader.FromText(csv, options);
            var headers = reader.Headers;
            var valueIndex = IndexOf(headers, ValueColumn);
            var confidentialityIndex = IndexOf(headers, ConfidentialityColumn);
            for (var c = 0; c < headers.Count; c++)
            {
                sheet.Cell(1, c + 1).SetValue<string>(headers[c]);
            }

            rows = 0;
            while (reader.Read())
            {
                rows++;
                var row = rows + 1;
                if (reader.FieldCount != headers.Count)
                {
                    throw new FormatException($"CSV reçu mal formé : ligne {row} de {reader.FieldCount} champs au lieu de {headers.Count}.");
                }

                var confidentiality = reader.GetString(confidentialityIndex);
                var secret = !string.Equals(confidentiality, FreeConfidentiality, StringComparison.Ordinal);
                for (var c = 0; c < headers.Count; c++)
                {
                    var text = reader.GetString(c);
                    var cell = sheet.Cell(row, c + 1);
                    if (c != valueIndex)
                    {
                        cell.SetValue<string>(text);
                    }
                    else if (secret)
                    {
                        if (text.Length > 0)
                        {
                            throw new FormatException($"ligne {row} : chiffre « {text} » sur une cellule « {confidentiality} » ; un chiffre secret n'a pas de valeur.");
                        }

                        cell.SetValue<string>(confidentiality);
                    }
                    else if (text.Length > 0)
                    {
                        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                        {
                            throw new FormatException($"ligne {row} : valeur « {text} » qui n'est pas un nombre.");
                        }

                        cell.SetValue(number);
                    }
                }
            }

            var header = sheet.Range(1, 1, 1, headers.Count);
            header.Style.Font.Bold = true;
            header.Style.Fill.BackgroundColor = GridWorkbookWriter.HeaderFill;
            header.Style.Font.FontColor = XLColor.White;
            sheet.Range(1, 1, rows + 1, headers.Count).SetAutoFilter();
            sheet.SheetView.FreezeRows(1);
            for (var c = 1; c <= headers.Count; c++)
            {
                sheet.Column(c).Width = c == valueIndex + 1 ? 16 : headers[c - 1] is "territoire" or "libelle" ? 40 : 18;
            }
        }
        catch (CsvFormatException ex)
        {
            throw new FormatException("CSV reçu mal formé : " + ex.Message, ex);
        }

        WriteReadMe(workbook.Worksheets.Add(ReadMeSheet), info, rows);
        sheet.SetTabActive();
        workbook.SaveAs(output);
    }

    /// <summary>The lines of the "Lisez-moi" sheet, label then text.</summary>
    public static IReadOnlyList<(string Label, string Text)> ReadMeLines(ExportWorkbookInfo info, int rows)
    {
        ArgumentNullException.ThrowIfNull(info);
        return
        [
            ("Source", $"Observatoire national des ISCG : chiffres publiés (secret statistique appliqué) du serveur {info.Server}, export CSV ReportService.ExportFigures converti en classeur."),
            ("Période", info.Period),
            ("Niveau", info.Level + " (tous les territoires de ce niveau)"),
            ("Cellules", info.Cells.Count == 0 ? "toutes les cellules de la grille" : string.Join(", ", info.Cells)),
            ("Chiffres partiels", info.ExcludePartial ? "exportés sans valeur (statut « partiel exclu »)" : "exportés avec leur valeur (statut « partiel »)"),
            ("Lignes", rows.ToString(CultureInfo.InvariantCulture)),
            ("Date", info.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
            ("confidentialite : libre", "chiffre publié ; la colonne valeur le donne (vide s'il n'existe pas : voir statut)."),
            ("confidentialite : secret primaire", "chiffre trop petit pour être publié (secret statistique) : la colonne valeur porte ce texte, jamais un nombre."),
            ("confidentialite : secret secondaire", "chiffre masqué pour qu'un secret primaire ne puisse pas être retrouvé par différence : la colonne valeur porte ce texte, jamais un nombre."),
            ("statut", "complet, partiel (des grilles manquent), partiel exclu, non dérivable, sans données."),
        ];
    }

    private static void WriteReadMe(IXLWorksheet sheet, ExportWorkbookInfo info, int rows)
    {
        sheet.Cell(1, 1).SetValue<string>("Chiffres publiés de l'Observatoire national des ISCG");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        var lines = ReadMeLines(info, rows);
        for (var i = 0; i < lines.Count; i++)
        {
            sheet.Cell(i + 3, 1).SetValue<string>(lines[i].Label);
            sheet.Cell(i + 3, 1).Style.Font.Bold = true;
            sheet.Cell(i + 3, 2).SetValue<string>(lines[i].Text);
        }

        sheet.Column(1).Width = 36;
        sheet.Column(2).Width = 110;
    }

    private static int IndexOf(IReadOnlyList<string> headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new FormatException($"CSV reçu sans colonne « {name} » : ce n'est pas l'export CSV des chiffres publiés.");
    }
}

/// <summary>What the "Lisez-moi" sheet of an exported workbook says about the export.</summary>
public sealed record ExportWorkbookInfo(string Server, string Level, string Period, IReadOnlyList<string> Cells, bool ExcludePartial, DateTimeOffset GeneratedAt);
