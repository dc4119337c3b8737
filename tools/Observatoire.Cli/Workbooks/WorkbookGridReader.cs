using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Observatoire.Cli.Grids;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Workbooks;

/// <summary>
/// Reads a filled workbook made by observatoire modele: one grid per period sheet with at least one value or a
/// comment, read through the metadata's cell map. A value that is not a whole number is reported with its sheet and
/// cell, and its grid is not sent; everything else (ranges, totals, rules) is the server's to judge.
/// </summary>
public static partial class WorkbookGridReader
{
    /// <summary>Reads the workbook at <paramref name="path"/>.</summary>
    public static GridFileResult Read(string path)
    {
        if (CheckSize(path) is { } sizeProblem)
        {
            return GridFileResult.Failed(path, null, sizeProblem);
        }

        XLWorkbook workbook;
        try
        {
            workbook = new XLWorkbook(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // ClosedXML reports a damaged package with many exception types: each one means "not readable".
            return GridFileResult.Failed(path, null, $"classeur illisible ({ex.Message}).");
        }

        using (workbook)
        {
            return ReadWorkbook(workbook, path);
        }
    }

    private static string? CheckSize(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return "fichier introuvable.";
            }

            if (info.Length > WorkbookFormat.MaxFileBytes)
            {
                return $"classeur trop volumineux ({info.Length / (1024 * 1024)} Mo ; {WorkbookFormat.MaxFileBytes / (1024 * 1024)} Mo au plus).";
            }

            using var zip = ZipFile.OpenRead(path);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (total > WorkbookFormat.MaxUncompressedBytes)
                {
                    return "classeur refusé : son contenu décompressé dépasse la taille admise.";
                }
            }

            return null;
        }
        catch (InvalidDataException)
        {
            return "ce fichier n'est pas un classeur Excel (.xlsx).";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"lecture impossible ({ex.Message}).";
        }
    }

    private static GridFileResult ReadWorkbook(XLWorkbook workbook, string file)
    {
        if (!workbook.Worksheets.TryGetWorksheet(WorkbookFormat.MetadataSheet, out var meta))
        {
            return GridFileResult.Failed(file, null, "ce classeur n'a pas été produit par « observatoire modele » (feuille de métadonnées absente) : générez-le avec observatoire modele.");
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var row = 1;
        for (; row < 100 && !meta.Cell(row, 1).IsEmpty(); row++)
        {
            keys[meta.Cell(row, 1).GetString()] = meta.Cell(row, 2).GetString();
        }

        if (keys.GetValueOrDefault(WorkbookFormat.FormatKey) != WorkbookFormat.FormatName)
        {
            return GridFileResult.Failed(file, null, "métadonnées du classeur illisibles : générez un nouveau classeur avec observatoire modele.");
        }

        if (keys.GetValueOrDefault(WorkbookFormat.FormatVersionKey) != WorkbookFormat.FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            return GridFileResult.Failed(
                file, null, $"classeur au format {keys.GetValueOrDefault(WorkbookFormat.FormatVersionKey)}, cette version de la commande lit le format {WorkbookFormat.FormatVersion} : générez un nouveau classeur avec observatoire modele.");
        }

        var periods = new List<(string Sheet, string Period, string Version, string Fingerprint, string Comment)>();
        var cells = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var lastRow = Math.Min(meta.LastRowUsed()?.RowNumber() ?? 0, WorkbookFormat.MaxMappedCells + 200);
        string? table = null;
        for (; row <= lastRow; row++)
        {
            var first = meta.Cell(row, 1).GetString();
            if (first is WorkbookFormat.PeriodsMarker or WorkbookFormat.CellsMarker)
            {
                table = first;
            }
            else if (first.Length == 0)
            {
                continue;
            }
            else if (table == WorkbookFormat.PeriodsMarker)
            {
                periods.Add((first, meta.Cell(row, 2).GetString(), meta.Cell(row, 3).GetString(), meta.Cell(row, 4).GetString(), meta.Cell(row, 5).GetString()));
            }
            else if (table == WorkbookFormat.CellsMarker && !IsAddress(meta.Cell(row, 3).GetString()))
            {
                return GridFileResult.Failed(file, null, "métadonnées du classeur altérées (adresse de case invalide) : générez un nouveau classeur avec observatoire modele.");
            }
            else if (table == WorkbookFormat.CellsMarker)
            {
                if (!cells.TryGetValue(first, out var map))
                {
                    cells[first] = map = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                map[meta.Cell(row, 2).GetString()] = meta.Cell(row, 3).GetString();
            }
        }

        var postReference = keys.GetValueOrDefault(WorkbookFormat.PostCellKey);
        var postId = postReference is null ? "" : CellAt(workbook, postReference)?.GetString().Trim() ?? "";
        var grids = new List<GridEntry>();
        var errors = new List<GridFileError>();
        var invalid = 0;
        var index = 0;
        foreach (var (sheetName, period, version, fingerprint, commentAddress) in periods)
        {
            index++;
            if (!workbook.Worksheets.TryGetWorksheet(sheetName, out var sheet))
            {
                errors.Add(new GridFileError(file, null, null, $"la feuille « {sheetName} » a disparu du classeur.", index));
                invalid++;
                continue;
            }

            var map = cells.GetValueOrDefault(sheetName) ?? [];
            var grid = new Grid { PostId = postId, Period = period, SchemaVersion = version };
            var gridErrors = 0;
            foreach (var (cellPath, address) in map)
            {
                var cell = sheet.Cell(address);
                switch (ReadCount(cell))
                {
                    case (null, null):
                        break;
                    case ({ } value, _):
                        grid.Values[cellPath] = value;
                        break;
                    case (_, { } problem):
                        errors.Add(new GridFileError(file, null, cellPath, problem, index, WorkbookFormat.Reference(sheetName, address)));
                        gridErrors++;
                        break;
                }
            }

            if (commentAddress.Length > 0 && IsAddress(commentAddress))
            {
                grid.Comment = sheet.Cell(commentAddress).GetString().Trim();
            }

            if (gridErrors > 0)
            {
                invalid++;
            }
            else if (grid.Values.Count > 0 || grid.Comment.Length > 0)
            {
                var locator = new SheetCells(sheetName, map, IsAddress(commentAddress) ? commentAddress : null, postReference);
                grids.Add(new GridEntry(grid, file, index, 0)
                {
                    Sheet = sheetName,
                    Locate = locator.Locate,
                    SchemaFingerprint = fingerprint,
                });
            }
        }

        if (grids.Count == 0 && invalid == 0)
        {
            errors.Add(new GridFileError(file, null, null, "aucune feuille de période n'est remplie : rien à envoyer."));
        }

        return new GridFileResult(file, grids, errors, invalid);
    }

    /// <summary>The count in an input cell: (value, null), (null, problem) or (null, null) when empty.</summary>
    private static (long? Value, string? Problem) ReadCount(IXLCell cell)
    {
        object? value;
        if (cell.HasFormula)
        {
            // A formula typed in an input cell counts by its last computed value, which the spreadsheet saved.
            value = cell.CachedValue;
            if (value is null || (value is string s && s.Length == 0))
            {
                return (null, "formule sans valeur calculée : saisissez un nombre entier.");
            }
        }
        else if (cell.IsEmpty())
        {
            return (null, null);
        }
        else
        {
            value = cell.Value;
        }

        switch (value)
        {
            case double d when double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15:
                return ((long)d, null);
            case double d:
                return (null, $"« {d.ToString(CultureInfo.GetCultureInfo("fr-FR"))} » n'est pas un nombre entier.");
            case string text:
                var compact = new string([.. text.Where(c => !char.IsWhiteSpace(c))]);
                if (compact.Length == 0)
                {
                    return (null, null);
                }

                return long.TryParse(compact, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                    ? (parsed, null)
                    : (null, $"« {Shorten(text)} » n'est pas un nombre entier.");
            default:
                return (null, $"« {Shorten(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")} » n'est pas un nombre entier.");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>The cell of a reference "'Sheet name'!B4", or null.</summary>
    private static IXLCell? CellAt(XLWorkbook workbook, string reference)
    {
        var bang = reference.LastIndexOf('!');
        if (bang <= 0)
        {
            return null;
        }

        var sheet = reference[..bang];
        if (sheet.Length >= 2 && sheet[0] == '\'' && sheet[^1] == '\'')
        {
            sheet = sheet[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        var address = reference[(bang + 1)..];
        return IsAddress(address) && workbook.Worksheets.TryGetWorksheet(sheet, out var found) ? found.Cell(address) : null;
    }

    /// <summary>Whether a text from the metadata is a plain cell address ("B12") that a sheet can have.</summary>
    private static bool IsAddress(string text) => AddressPattern().IsMatch(text);

    [GeneratedRegex("^[A-Z]{1,3}[1-9][0-9]{0,6}$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
