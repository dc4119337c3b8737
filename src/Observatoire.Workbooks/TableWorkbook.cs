using ClosedXML.Excel;

namespace Observatoire.Workbooks;

/// <summary>One table as a workbook for a spreadsheet: a title row, bold headers, then the rows; numbers stay numbers.</summary>
public static class TableWorkbook
{
    /// <summary>Writes the table to <paramref name="output"/>: a cell is a number when given a double, a text otherwise.</summary>
    public static void Write(string title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<object?>> rows, Stream output)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Tableau");
        sheet.Cell(1, 1).SetValue(title);
        sheet.Cell(1, 1).Style.Font.Bold = true;
        for (var c = 0; c < headers.Count; c++)
        {
            sheet.Cell(3, c + 1).SetValue(headers[c]);
            sheet.Cell(3, c + 1).Style.Font.Bold = true;
        }

        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Count; c++)
            {
                var cell = sheet.Cell(r + 4, c + 1);
                switch (rows[r][c])
                {
                    case double number:
                        cell.SetValue(number);
                        break;
                    case { } value:
                        // SetValue<string>: assigning a text such as "2025-03" or "01" to Value makes ClosedXML 0.95 guess a type.
                        cell.SetValue(value.ToString() ?? "");
                        break;
                }
            }
        }

        sheet.SheetView.FreezeRows(3);
        workbook.SaveAs(output);
    }
}
