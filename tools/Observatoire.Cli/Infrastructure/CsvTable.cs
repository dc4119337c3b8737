using System.Globalization;
using System.Text;

namespace Observatoire.Cli.Infrastructure;

/// <summary>
/// A table written as CSV (RFC 4180): header row, then one row per record, CRLF line ends. Fields holding the separator,
/// a quote or a line break are quoted. Numbers are written without digit grouping, with a decimal comma when the separator
/// is ';' (what a French spreadsheet expects) and a point otherwise.
/// </summary>
public sealed class CsvTable
{
    private readonly List<string?[]> _rows = [];

    /// <summary>Creates a table with its column names.</summary>
    public CsvTable(char separator, params string[] columns)
    {
        Separator = separator;
        Columns = columns;
        Culture = AnalysisLabels.CsvCulture(separator);
    }

    /// <summary>The field separator.</summary>
    public char Separator { get; }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number format of the table.</summary>
    public CultureInfo Culture { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Adds a row; null fields are written empty.</summary>
    public void AddRow(params string?[] fields)
    {
        if (fields.Length != Columns.Count)
        {
            throw new ArgumentException($"{fields.Length} champs pour {Columns.Count} colonnes.", nameof(fields));
        }

        _rows.Add(fields);
    }

    /// <summary>An integer field; empty when null.</summary>
    public string? Integer(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>A decimal field (up to <paramref name="decimals"/> decimals, no grouping); empty when null or not finite.</summary>
    public string? Decimal(double? value, int decimals = 4) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0." + new string('#', decimals), Culture) : null;

    /// <summary>The CSV text (without byte order mark).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendRow(builder, Columns);
        foreach (var row in _rows)
        {
            AppendRow(builder, row);
        }

        return builder.ToString();
    }

    private void AppendRow(StringBuilder builder, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(Separator);
            }

            builder.Append(Quote(fields[i] ?? ""));
        }

        builder.Append("\r\n");
    }

    private string Quote(string field)
    {
        if (field.IndexOfAny([Separator, '"', '\r', '\n']) < 0)
        {
            return field;
        }

        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
