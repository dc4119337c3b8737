using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using ClosedXML.Excel;

namespace Observatoire.Workbooks;

/// <summary>One filled period sheet of a workbook: the grid it holds and where its cells are.</summary>
/// <param name="Sheet">The sheet name ("Mars").</param>
/// <param name="Index">1-based position of the sheet among the workbook's period sheets.</param>
/// <param name="PostId">The post id typed on the guide sheet.</param>
/// <param name="Period">The period of the sheet.</param>
/// <param name="SchemaVersion">The schema version the sheet was generated for.</param>
/// <param name="SchemaFingerprint">The fingerprint of that schema's cells (<see cref="SchemaCells.Fingerprint"/>).</param>
/// <param name="Values">The counts typed, by cell path.</param>
/// <param name="Comment">The comment typed, trimmed (empty when none).</param>
/// <param name="Cells">Turns a violation's path into a place in the sheet.</param>
public sealed record WorkbookGrid(
    string Sheet,
    int Index,
    string PostId,
    string Period,
    string SchemaVersion,
    string SchemaFingerprint,
    IReadOnlyDictionary<string, long> Values,
    string Comment,
    SheetCells Cells);

/// <summary>A problem found while reading a workbook, in French.</summary>
/// <param name="Message">What is wrong.</param>
/// <param name="Index">1-based index of the period sheet concerned; null for a problem of the whole workbook.</param>
/// <param name="CellPath">The cell path concerned, when one.</param>
/// <param name="Place">Where in the workbook ("'Mars'!B12"), when known.</param>
public sealed record WorkbookProblem(string Message, int? Index = null, string? CellPath = null, string? Place = null);

/// <summary>What a workbook yielded: the filled sheets read without error, the problems, and how many sheets were left out.</summary>
public sealed record WorkbookReading(IReadOnlyList<WorkbookGrid> Grids, IReadOnlyList<WorkbookProblem> Problems, int InvalidSheets)
{
    /// <summary>A reading that yielded nothing but one problem of the whole workbook.</summary>
    public static WorkbookReading Failed(string message) => new([], [new WorkbookProblem(message)], 0);
}

/// <summary>
/// Reads a filled workbook made by observatoire modele: one grid per period sheet with at least one value or a
/// comment, read through the metadata's cell map. A value that is not a whole number is reported with its sheet and
/// cell, and its grid is not sent; everything else (ranges, totals, rules) is the server's to judge.
/// </summary>
public static partial class WorkbookReader
{
    /// <summary>What a post is told of a file that is a zip but not a workbook Excel can read.</summary>
    public const string Unreadable = "ce fichier n'est pas un classeur Excel lisible (.xlsx) : ouvrez-le et enregistrez-le de nouveau au format Excel, ou générez un nouveau classeur avec observatoire modele.";

    /// <summary>Reads the workbook at <paramref name="path"/>.</summary>
    public static WorkbookReading Read(string path)
    {
        FileStream stream;
        try
        {
            if (!File.Exists(path))
            {
                return WorkbookReading.Failed("fichier introuvable.");
            }

            stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return WorkbookReading.Failed($"lecture impossible ({ex.Message}).");
        }

        using (stream)
        {
            return Read(stream);
        }
    }

    /// <summary>
    /// Reads a workbook from a seekable stream (an upload kept in memory): its size and decompressed size are checked
    /// first, so a hostile file costs at most <see cref="WorkbookFormat.MaxUncompressedBytes"/>.
    /// </summary>
    public static WorkbookReading Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (CheckSize(stream) is { } sizeProblem)
        {
            return WorkbookReading.Failed(sizeProblem);
        }

        XLWorkbook workbook;
        try
        {
            stream.Position = 0;
            workbook = new XLWorkbook(stream);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // ClosedXML reports a damaged package with many exception types (a null reference for a zip without a
            // workbook, a DTD refused, a missing part): each one means "not readable", and its English text helps no post.
            return WorkbookReading.Failed(Unreadable);
        }

        using (workbook)
        {
            return ReadWorkbook(workbook);
        }
    }

    private static string? CheckSize(Stream stream)
    {
        try
        {
            if (stream.Length > WorkbookFormat.MaxFileBytes)
            {
                return $"classeur trop volumineux ({stream.Length / (1024 * 1024)} Mo ; {WorkbookFormat.MaxFileBytes / (1024 * 1024)} Mo au plus).";
            }

            stream.Position = 0;
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
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
        catch (IOException ex)
        {
            return $"lecture impossible ({ex.Message}).";
        }
    }

    private static WorkbookReading ReadWorkbook(XLWorkbook workbook)
    {
        if (!workbook.Worksheets.TryGetWorksheet(WorkbookFormat.MetadataSheet, out var meta))
        {
            return WorkbookReading.Failed("ce classeur n'a pas été produit par « observatoire modele » (feuille de métadonnées absente) : générez-le avec observatoire modele.");
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var row = 1;
        for (; row < 100 && !meta.Cell(row, 1).IsEmpty(); row++)
        {
            keys[meta.Cell(row, 1).GetString()] = meta.Cell(row, 2).GetString();
        }

        if (keys.GetValueOrDefault(WorkbookFormat.FormatKey) != WorkbookFormat.FormatName)
        {
            return WorkbookReading.Failed("métadonnées du classeur illisibles : générez un nouveau classeur avec observatoire modele.");
        }

        if (keys.GetValueOrDefault(WorkbookFormat.FormatVersionKey) != WorkbookFormat.FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            return WorkbookReading.Failed(
                $"classeur au format {keys.GetValueOrDefault(WorkbookFormat.FormatVersionKey)}, cette version de la commande lit le format {WorkbookFormat.FormatVersion} : générez un nouveau classeur avec observatoire modele.");
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
                return WorkbookReading.Failed("métadonnées du classeur altérées (adresse de case invalide) : générez un nouveau classeur avec observatoire modele.");
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
        var grids = new List<WorkbookGrid>();
        var errors = new List<WorkbookProblem>();
        var invalid = 0;
        var index = 0;
        foreach (var (sheetName, period, version, fingerprint, commentAddress) in periods)
        {
            index++;
            if (!workbook.Worksheets.TryGetWorksheet(sheetName, out var sheet))
            {
                errors.Add(new WorkbookProblem($"la feuille « {sheetName} » a disparu du classeur.", index));
                invalid++;
                continue;
            }

            var map = cells.GetValueOrDefault(sheetName) ?? [];
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            var gridErrors = 0;
            foreach (var (cellPath, address) in map)
            {
                var cell = sheet.Cell(address);
                switch (ReadCount(cell))
                {
                    case (null, null):
                        break;
                    case ({ } value, _):
                        values[cellPath] = value;
                        break;
                    case (_, { } problem):
                        errors.Add(new WorkbookProblem(problem, index, cellPath, WorkbookFormat.Reference(sheetName, address)));
                        gridErrors++;
                        break;
                }
            }

            var comment = commentAddress.Length > 0 && IsAddress(commentAddress) ? sheet.Cell(commentAddress).GetString().Trim() : "";
            if (gridErrors > 0)
            {
                invalid++;
            }
            else if (values.Count > 0 || comment.Length > 0)
            {
                var locator = new SheetCells(sheetName, map, IsAddress(commentAddress) ? commentAddress : null, postReference);
                grids.Add(new WorkbookGrid(sheetName, index, postId, period, version, fingerprint, values, comment, locator));
            }
        }

        if (grids.Count == 0 && invalid == 0)
        {
            errors.Add(new WorkbookProblem("aucune feuille de période n'est remplie : rien à envoyer."));
        }

        return new WorkbookReading(grids, errors, invalid);
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
