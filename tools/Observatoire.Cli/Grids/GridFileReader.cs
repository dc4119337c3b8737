using System.Text;

namespace Observatoire.Cli.Grids;

/// <summary>Format of a grid file.</summary>
public enum GridFileFormat
{
    /// <summary>A grid object, an array of grids, or {"grids": [...]}.</summary>
    Json,

    /// <summary>Long format, one cell per row: post_id;period;schema_version;cell;value.</summary>
    Csv,

    /// <summary>An Excel workbook made by observatoire modele and filled in: one grid per filled period sheet.</summary>
    Workbook,
}

/// <summary>Reads grid files (JSON or CSV) into grids ready to send, with French error messages and line numbers.</summary>
public static class GridFileReader
{
    /// <summary>Reads one file; the format comes from the extension (.json, .csv) or, failing that, from the content.</summary>
    public static GridFileResult Read(string path)
    {
        string text;
        try
        {
            if (Directory.Exists(path))
            {
                return GridFileResult.Failed(path, null, "dossier sans fichier .json, .csv ni .xlsx.");
            }

            if (FormatOf(path) == GridFileFormat.Workbook)
            {
                return Workbooks.WorkbookGridReader.Read(path);
            }

            // Detects and removes a UTF-8 (or UTF-16) byte order mark.
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return GridFileResult.Failed(path, null, "fichier introuvable.");
        }
        catch (DirectoryNotFoundException)
        {
            return GridFileResult.Failed(path, null, "dossier introuvable.");
        }
        catch (UnauthorizedAccessException)
        {
            return GridFileResult.Failed(path, null, "lecture non autorisée.");
        }
        catch (IOException ex)
        {
            return GridFileResult.Failed(path, null, $"lecture impossible ({ex.Message}).");
        }

        return ReadText(text, path, FormatOf(path));
    }

    /// <summary>Reads grids from text already loaded; <paramref name="file"/> names the source in messages.</summary>
    public static GridFileResult ReadText(string text, string file, GridFileFormat? format = null)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return GridFileResult.Failed(file, null, "le fichier est vide.");
        }

        return (format ?? Sniff(text)) switch
        {
            GridFileFormat.Json => JsonGridReader.Read(text, file),
            _ => CsvGridReader.Read(text, file),
        };
    }

    /// <summary>
    /// Expands the command-line paths: a folder stands for its *.json, *.csv and *.xlsx files (sorted by name);
    /// other paths are kept as given (a missing file is reported when read).
    /// </summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        var result = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path)
                    .Where(f => FormatOf(f) is not null)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                {
                    // Kept so that Read reports the folder as an error.
                    result.Add(path);
                }

                result.AddRange(files);
            }
            else
            {
                result.Add(path);
            }
        }

        return result;
    }

    /// <summary>The format given by the file extension, or null when the extension says nothing.</summary>
    public static GridFileFormat? FormatOf(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => GridFileFormat.Json,
            ".csv" => GridFileFormat.Csv,
            ".xlsx" => GridFileFormat.Workbook,
            _ => null,
        };

    private static GridFileFormat Sniff(string text)
    {
        var first = text.TrimStart()[0];
        return first is '{' or '[' ? GridFileFormat.Json : GridFileFormat.Csv;
    }
}
