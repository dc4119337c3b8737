using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Observatoire.Cli.Workbooks;
using Observatoire.Workbooks;

namespace Observatoire.Server.Tests.Cli;

/// <summary>
/// A generated workbook opened with the Open XML SDK directly, not with ClosedXML (the writer): reads what a
/// spreadsheet application reads, and fills cells the way another tool would.
/// </summary>
internal sealed class OpenXmlWorkbook : IDisposable
{
    private readonly SpreadsheetDocument _document;

    private OpenXmlWorkbook(SpreadsheetDocument document)
    {
        _document = document;
    }

    public WorkbookPart Part => _document.WorkbookPart!;

    public static OpenXmlWorkbook Open(string path, bool editable = false) => new(SpreadsheetDocument.Open(path, editable));

    public IReadOnlyList<Sheet> Sheets => [.. Part.Workbook.Sheets!.Elements<Sheet>()];

    public Worksheet Worksheet(string name) =>
        ((WorksheetPart)Part.GetPartById(Sheets.Single(s => s.Name == name).Id!)).Worksheet;

    public Cell? Cell(string sheet, string address) =>
        Worksheet(sheet).Descendants<Cell>().FirstOrDefault(c => c.CellReference?.Value == address);

    /// <summary>The text of a cell: shared string, inline string or raw value.</summary>
    public string Text(Cell? cell)
    {
        if (cell is null)
        {
            return "";
        }

        if (cell.DataType?.Value == CellValues.SharedString && cell.CellValue is { } index)
        {
            return Part.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ElementAt(int.Parse(index.Text)).InnerText;
        }

        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        return cell.CellValue?.Text ?? "";
    }

    public string Text(string sheet, string address) => Text(Cell(sheet, address));

    /// <summary>The key/value rows at the top of the metadata sheet.</summary>
    public IReadOnlyDictionary<string, string> Metadata()
    {
        var result = new Dictionary<string, string>();
        for (var row = 1; Text(WorkbookFormat.MetadataSheet, $"A{row}") is { Length: > 0 } key; row++)
        {
            result[key] = Text(WorkbookFormat.MetadataSheet, $"B{row}");
        }

        return result;
    }

    /// <summary>Rows of a table of the metadata sheet (after its marker), as columns A to E.</summary>
    public IReadOnlyList<string[]> MetadataTable(string marker)
    {
        var rows = Worksheet(WorkbookFormat.MetadataSheet).Descendants<Row>().ToList();
        var result = new List<string[]>();
        var inside = false;
        foreach (var row in rows)
        {
            var number = row.RowIndex!.Value;
            var first = Text(WorkbookFormat.MetadataSheet, $"A{number}");
            if (first.StartsWith('#'))
            {
                inside = first == marker;
                continue;
            }

            if (inside && first.Length > 0)
            {
                result.Add([.. "ABCDE".Select(c => Text(WorkbookFormat.MetadataSheet, $"{c}{number}"))]);
            }
        }

        return result;
    }

    /// <summary>Input cells of a sheet: cell path to address.</summary>
    public IReadOnlyDictionary<string, string> Inputs(string sheet) =>
        MetadataTable(WorkbookFormat.CellsMarker).Where(r => r[0] == sheet).ToDictionary(r => r[1], r => r[2]);

    public void SetNumber(string sheet, string address, long value)
    {
        var cell = Cell(sheet, address) ?? throw new InvalidOperationException($"{sheet}!{address} absente");
        cell.InlineString?.Remove();
        cell.CellFormula?.Remove();
        cell.DataType = null;
        cell.CellValue = new CellValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void SetText(string sheet, string address, string text)
    {
        var cell = Cell(sheet, address) ?? throw new InvalidOperationException($"{sheet}!{address} absente");
        cell.CellValue?.Remove();
        cell.CellFormula?.Remove();
        cell.DataType = CellValues.InlineString;
        cell.InlineString = new InlineString(new Text(text));
    }

    /// <summary>Whether the style of a cell locks it (the default when the style says nothing).</summary>
    public bool IsLocked(Cell cell)
    {
        var format = Part.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));
        return format.Protection?.Locked?.Value ?? true;
    }

    public void Dispose()
    {
        foreach (var part in Part.WorksheetParts)
        {
            if (_document.FileOpenAccess == FileAccess.ReadWrite)
            {
                part.Worksheet.Save();
            }
        }

        _document.Dispose();
    }
}
