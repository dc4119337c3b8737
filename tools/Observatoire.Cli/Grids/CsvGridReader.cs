using System.Globalization;
using System.Text;
using CsvHelper;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Grids;

/// <summary>
/// Reads grids from a long-format CSV: one cell per row, columns post_id;period;schema_version;cell;value
/// (or poste;periode;version_schema;cellule;valeur). Rows with the same post and period form one grid;
/// the cell "comment" carries the comment in the value column. The separator (; , or tab) is taken from the header.
/// </summary>
public static class CsvGridReader
{
    /// <summary>Cell names that carry the grid's comment instead of a count.</summary>
    public static readonly IReadOnlySet<string> CommentCells = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "comment", "commentaire" };

    private enum Column { PostId, Period, SchemaVersion, Cell, Value }

    private static readonly Dictionary<string, Column> HeaderNames = new(StringComparer.Ordinal)
    {
        ["post_id"] = Column.PostId,
        ["poste"] = Column.PostId,
        ["period"] = Column.Period,
        ["periode"] = Column.Period,
        ["schema_version"] = Column.SchemaVersion,
        ["version_schema"] = Column.SchemaVersion,
        ["cell"] = Column.Cell,
        ["cellule"] = Column.Cell,
        ["value"] = Column.Value,
        ["valeur"] = Column.Value,
    };

    /// <summary>Reads the grids of a CSV text; <paramref name="file"/> names the source in messages.</summary>
    public static GridFileResult Read(string text, string file)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var (headerLine, headerText) = FirstNonBlankLine(text);
        if (DetectSeparator(headerText) is not { } separator)
        {
            return GridFileResult.Failed(file, headerLine,
                "en-tête CSV attendu : post_id;period;schema_version;cell;value (séparateur « ; » ou « , »).");
        }

        var options = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            DetectSeparatorHint = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        };

        try
        {
            using var reader = CsvReader.FromText(text, options);
            var columns = MapHeader(reader.Headers, out var headerError);
            if (headerError is not null)
            {
                return GridFileResult.Failed(file, headerLine, headerError);
            }

            return ReadRows(reader, columns, file, headerLine);
        }
        catch (CsvFormatException ex)
        {
            int? line = ex.LineNumber > 0 ? (int)ex.LineNumber : null;
            return GridFileResult.Failed(file, line,
                "CSV mal formé : guillemets mal placés ou non refermés (un champ entre guillemets doit se terminer par un guillemet, " +
                "et un guillemet à l'intérieur s'écrit \"\").");
        }
    }

    private static GridFileResult ReadRows(CsvReader reader, Dictionary<Column, int> columns, string file, int headerLine)
    {
        var builders = new Dictionary<(string Post, string Period), GridBuilder>();
        var order = new List<GridBuilder>();
        var errors = new List<GridFileError>();
        var headerCount = reader.Headers.Count;

        // Rows may leave out trailing columns that are ignored, not those that are read.
        var requiredCount = columns.Values.Max() + 1;

        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            string Field(Column column) => reader.GetString(columns[column]);

            var post = Field(Column.PostId);
            var period = Field(Column.Period);
            if (post.Length == 0 || period.Length == 0)
            {
                errors.Add(new GridFileError(file, line, post.Length == 0 ? "post_id" : "period",
                    "poste ou période manquant : la ligne ne peut être rattachée à aucune grille."));
                continue;
            }

            if (!builders.TryGetValue((post, period), out var builder))
            {
                builder = new GridBuilder(order.Count + 1, line, post, period);
                builders.Add((post, period), builder);
                order.Add(builder);
            }

            void Error(string? field, string message)
            {
                builder.HasError = true;
                errors.Add(new GridFileError(file, line, field, $"grille {GridLabels.Of(post, period)} : {message}", builder.Index));
            }

            if (reader.FieldCount < requiredCount || HasNonEmptyExtraField(reader, headerCount))
            {
                Error(null, $"{reader.FieldCount} champs au lieu de {headerCount} (vérifiez le séparateur et les guillemets).");
                continue;
            }

            var schemaVersion = Field(Column.SchemaVersion);
            if (schemaVersion.Length == 0)
            {
                Error("schema_version", "version du schéma manquante.");
            }
            else if (builder.Grid.SchemaVersion.Length == 0)
            {
                builder.Grid.SchemaVersion = schemaVersion;
            }
            else if (builder.Grid.SchemaVersion != schemaVersion)
            {
                Error("schema_version",
                    $"version du schéma « {schemaVersion} » différente de celle des lignes précédentes (« {builder.Grid.SchemaVersion} »).");
            }

            var cell = Field(Column.Cell);
            var value = Field(Column.Value);
            if (cell.Length == 0)
            {
                Error("cell", "nom de cellule manquant.");
            }
            else if (CommentCells.Contains(cell))
            {
                if (builder.HasComment)
                {
                    Error(cell, "commentaire en double.");
                }
                else
                {
                    builder.HasComment = true;
                    builder.Grid.Comment = value;
                }
            }
            else if (value.Length == 0)
            {
                // An empty value is an absent cell (0 for a breakdown cell; the server reports a missing total).
            }
            else if (builder.Grid.Values.ContainsKey(cell))
            {
                Error(cell, "cellule en double.");
            }
            else if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
            {
                builder.Grid.Values[cell] = count;
            }
            else
            {
                Error(cell, $"la valeur doit être un nombre entier (trouvé : « {value} »).");
            }
        }

        if (order.Count == 0 && errors.Count == 0)
        {
            return GridFileResult.Failed(file, headerLine, "le fichier ne contient aucune grille (en-tête seul).");
        }

        var grids = order
            .Where(b => !b.HasError)
            .Select(b => new GridEntry(b.Grid, file, b.Index, b.Line))
            .ToList();
        return new GridFileResult(file, grids, errors, order.Count(b => b.HasError));
    }

    private static bool HasNonEmptyExtraField(CsvReader reader, int headerCount)
    {
        for (var i = headerCount; i < reader.FieldCount; i++)
        {
            if (!reader.IsEmpty(i))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<Column, int> MapHeader(IReadOnlyList<string> headers, out string? error)
    {
        var columns = new Dictionary<Column, int>();
        for (var i = 0; i < headers.Count; i++)
        {
            if (HeaderNames.TryGetValue(NormalizeHeader(headers[i]), out var column))
            {
                if (!columns.TryAdd(column, i))
                {
                    error = $"colonne « {headers[i]} » en double dans l'en-tête.";
                    return columns;
                }
            }

            // Other columns (labels for people, notes...) are ignored.
        }

        var missing = Enum.GetValues<Column>().Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            error = $"colonne(s) manquante(s) dans l'en-tête : {string.Join(", ", missing.Select(ColumnName))} " +
                    $"(en-tête attendu : post_id;period;schema_version;cell;value ou poste;periode;version_schema;cellule;valeur).";
            return columns;
        }

        error = null;
        return columns;
    }

    private static string ColumnName(Column column) => column switch
    {
        Column.PostId => "post_id",
        Column.Period => "period",
        Column.SchemaVersion => "schema_version",
        Column.Cell => "cell",
        _ => "value",
    };

    /// <summary>Lower case, trimmed, without accents: "Période " becomes "periode".</summary>
    private static string NormalizeHeader(string header)
    {
        var decomposed = header.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static (int Line, string Text) FirstNonBlankLine(string text)
    {
        var line = 1;
        foreach (var raw in text.Split('\n'))
        {
            if (!string.IsNullOrWhiteSpace(raw))
            {
                return (line, raw.TrimEnd('\r'));
            }

            line++;
        }

        return (1, "");
    }

    /// <summary>The separator of a header line: the most frequent of ; , and tab outside quotes, or null.</summary>
    internal static char? DetectSeparator(string headerLine)
    {
        int semicolons = 0, commas = 0, tabs = 0;
        var quoted = false;
        foreach (var c in headerLine)
        {
            switch (c)
            {
                case '"':
                    quoted = !quoted;
                    break;
                case ';' when !quoted:
                    semicolons++;
                    break;
                case ',' when !quoted:
                    commas++;
                    break;
                case '\t' when !quoted:
                    tabs++;
                    break;
            }
        }

        if (semicolons == 0 && commas == 0 && tabs == 0)
        {
            return null;
        }

        if (semicolons >= commas && semicolons >= tabs)
        {
            return ';';
        }

        return commas >= tabs ? ',' : '\t';
    }

    private sealed class GridBuilder(int index, int line, string post, string period)
    {
        public int Index { get; } = index;

        public int Line { get; } = line;

        public Grid Grid { get; } = new() { PostId = post, Period = period };

        public bool HasError { get; set; }

        public bool HasComment { get; set; }
    }
}
