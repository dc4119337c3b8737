using CsvHelper;

namespace Observatoire.Data;

/// <summary>Reads the reference CSV files (RFC 4180, "," or ";" separated) and maps their columns.</summary>
internal static class Csv
{
    /// <summary>A parsed record with the 1-based line it starts on.</summary>
    internal readonly record struct Row(int Line, string[] Fields);

    /// <summary>Reads every record. The separator is ";" when the first line has semicolons and no commas, else ",".</summary>
    internal static List<Row> Read(TextReader reader, string source)
    {
        var text = reader.ReadToEnd();
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var firstLineEnd = text.IndexOfAny(['\r', '\n']);
        var firstLine = firstLineEnd < 0 ? text : text[..firstLineEnd];
        var separator = firstLine.Contains(';') && !firstLine.Contains(',') ? ';' : ',';

        // CsvHelper handles the RFC 4180 details (quotes, doubled quotes, line breaks in quotes) that a
        // registry exported from a spreadsheet will have.
        var options = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = false,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        };
        var rows = new List<Row>();
        try
        {
            using var csv = CsvReader.FromText(text, options);
            while (csv.Read())
            {
                var fields = Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToArray();
                if (fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                rows.Add(new Row((int)csv.LineNumber, fields));
            }
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{source}, ligne {e.LineNumber} : guillemet mal placé ou non fermé.", e);
        }

        return rows;
    }

    /// <summary>Maps the header's column names (trimmed, case-insensitive) to their indexes; throws when a required one is missing.</summary>
    internal static Dictionary<string, int> Header(List<Row> rows, string source, params string[] required)
    {
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{source} : fichier vide, en-tête attendu ({string.Join(',', required)}).");
        }

        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var header = rows[0].Fields;
        for (var i = 0; i < header.Length; i++)
        {
            map.TryAdd(header[i].Trim(), i);
        }

        var missing = required.Where(r => !map.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{source}, ligne {rows[0].Line} : colonne(s) manquante(s) {string.Join(", ", missing)} ; en-tête attendu : {string.Join(',', required)}.");
        }

        return map;
    }

    /// <summary>The trimmed value of a column, or "" when the row is short.</summary>
    internal static string Get(Row row, Dictionary<string, int> header, string column)
    {
        var index = header[column];
        return index < row.Fields.Length ? row.Fields[index].Trim() : string.Empty;
    }
}
