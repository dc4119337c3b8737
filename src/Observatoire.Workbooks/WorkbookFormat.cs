namespace Observatoire.Workbooks;

/// <summary>
/// What a generated workbook says about itself, in a very hidden, protected sheet: the format, the schema version of
/// each period sheet, and the address of every input cell with its cell path. The reader trusts this map, never the
/// visible labels, so a workbook is read the same way whatever language or layout its sheets show.
/// </summary>
public static class WorkbookFormat
{
    /// <summary>Name of the metadata sheet.</summary>
    public const string MetadataSheet = "_observatoire";

    /// <summary>Value of the "format" key.</summary>
    public const string FormatName = "observatoire-grilles-xlsx";

    /// <summary>Version of the layout of the metadata sheet.</summary>
    public const int FormatVersion = 1;

    /// <summary>Keys of the metadata sheet (column A), values in column B.</summary>
    public const string FormatKey = "format";

    public const string FormatVersionKey = "format_version";

    public const string YearKey = "annee";

    public const string PostCellKey = "cellule_poste";

    public const string GeneratedKey = "genere_le";

    public const string GeneratorKey = "generateur";

    /// <summary>Marks the start of the table of period sheets: sheet, period, schema version, fingerprint, comment cell, status cell.</summary>
    public const string PeriodsMarker = "#periodes";

    /// <summary>Marks the start of the table of input cells: sheet, cell path, address.</summary>
    public const string CellsMarker = "#cellules";

    /// <summary>Largest workbook file read (bytes).</summary>
    public const long MaxFileBytes = 20L * 1024 * 1024;

    /// <summary>
    /// Largest uncompressed content of a workbook read (bytes): a bound against zip bombs, which costs memory and time
    /// where it matters, in the spreadsheet library's model of the cells (about 30 bytes of memory and 0.5 µs per byte
    /// of sheet XML: 20 MB of XML, a file of 0.2 MB, held 580 MB and took 9.5 s). A post's year as generated is about
    /// 0.6 MB (examples/classeurs): 16 MB leaves room for what Excel adds on saving, and a picture or two.
    /// </summary>
    public const long MaxUncompressedBytes = 16L * 1024 * 1024;

    /// <summary>Largest number of rows of the cell map read.</summary>
    public const int MaxMappedCells = 50_000;

    /// <summary>"'Mode d''emploi'!B4": a sheet-qualified reference, quoted as spreadsheets quote sheet names.</summary>
    public static string Reference(string sheet, string address) => $"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'!{address}";

}
