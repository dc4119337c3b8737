using System.Globalization;
using System.Text;

namespace Observatoire.Server.Web.Analysis;

/// <summary>
/// One cell of a table the pages show and let download: a number (written as a number in XLSX, with a decimal comma
/// in CSV) or a text ("secret", a name, "—"). A secret figure is always a text, never a number.
/// </summary>
public sealed record TableCell(string Text, double? Number = null, int Decimals = 0, string? Href = null)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static TableCell Count(long value) => new(value.ToString("N0", French), value);

    public static TableCell Rate(double value) => new(value.ToString("N1", French), Math.Round(value, 1), 1);

    public static TableCell Percent(double share) => new((share * 100).ToString("N1", French) + " %", Math.Round(share * 100, 1), 1);

    /// <summary>As a French spreadsheet reads it from CSV: no thousands separator, a decimal comma.</summary>
    public string Csv => Number is { } n ? n.ToString(Decimals == 0 ? "0" : "0.0", French) : Text;
}

/// <summary>A table of an analysis page: what the page shows, and exactly what its CSV and XLSX downloads hold.</summary>
/// <param name="Name">The file name stem ("serie-personnes_recues-departement-01-2025-03").</param>
/// <param name="Caption">The table's caption.</param>
/// <param name="Headers">The column headers; the first column heads each row.</param>
/// <param name="Rows">The rows, each as many cells as headers.</param>
public sealed record WebTable(string Name, string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<TableCell>> Rows)
{
    /// <summary>CSV for French spreadsheets: UTF-8 with BOM, semicolons, decimal commas, CRLF.</summary>
    public byte[] ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(';', Headers.Select(Escape)).Append("\r\n");
        foreach (var row in Rows)
        {
            csv.AppendJoin(';', row.Select(c => Escape(c.Csv))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>The table as an Excel workbook: numbers as numbers, texts (secret included) as texts.</summary>
    public byte[] ToXlsx()
    {
        using var output = new MemoryStream();
        Workbooks.TableWorkbook.Write(Caption, Headers, [.. Rows.Select(r => (IReadOnlyList<object?>)[.. r.Select(c => c.Number is { } n ? n : (object)c.Text)])], output);
        return output.ToArray();
    }

    private static string Escape(string text) =>
        text.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
