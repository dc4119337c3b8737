using System.Text;

namespace Observatoire.Data;

/// <summary>Minimal RFC 4180 reader: quoted fields, doubled quotes, line breaks inside quotes; "," or ";" separated.</summary>
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

        var rows = new List<Row>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var inQuotes = false;
        var fieldStarted = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldStarted = false;
        }

        void EndRow()
        {
            EndField();
            // Skip blank lines.
            if (fields.Count > 1 || fields[0].Trim().Length > 0)
            {
                rows.Add(new Row(rowLine, [.. fields]));
            }

            fields.Clear();
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && !fieldStarted)
            {
                inQuotes = true;
                fieldStarted = true;
            }
            else if (c == separator)
            {
                EndField();
            }
            else if (c == '\r' || c == '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRow();
                line++;
                rowLine = line;
            }
            else
            {
                field.Append(c);
                fieldStarted = true;
            }
        }

        if (inQuotes)
        {
            throw new InvalidDataException($"{source}, ligne {rowLine} : guillemet non fermé.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            EndRow();
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
