using System.Globalization;
using System.Text;
using System.Text.Json;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Grids;

/// <summary>
/// Reads grids from JSON: a grid object, an array of grid objects, or {"grids": [...]}.
/// Keeps the line of every element so that errors can name it.
/// </summary>
public static class JsonGridReader
{
    private static readonly string[] KnownFields = ["post_id", "period", "schema_version", "values", "comment"];

    /// <summary>Reads the grids of a JSON text; <paramref name="file"/> names the source in messages.</summary>
    public static GridFileResult Read(string text, string file)
    {
        JNode root;
        try
        {
            root = Parse(text);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? (int)l + 1 : (int?)null;
            var column = ex.BytePositionInLine is { } c ? $", colonne {c + 1}" : "";
            return GridFileResult.Failed(file, line, $"JSON invalide{column}.");
        }

        IReadOnlyList<JNode> items;
        switch (root)
        {
            case JArray array:
                items = array.Items;
                break;
            case JObject obj when obj.Find("grids") is { } gridsProperty:
                if (gridsProperty.Value is not JArray gridArray)
                {
                    return GridFileResult.Failed(file, gridsProperty.Line, "« grids » doit être un tableau de grilles.");
                }

                if (obj.Properties.FirstOrDefault(p => p.Name != "grids") is { } extra)
                {
                    return GridFileResult.Failed(file, extra.Line, $"propriété inattendue « {extra.Name} » à côté de « grids ».");
                }

                items = gridArray.Items;
                break;
            case JObject obj:
                items = [obj];
                break;
            default:
                return GridFileResult.Failed(file, root.Line,
                    "attendu : un objet grille, un tableau de grilles ou un objet {\"grids\": [...]}.");
        }

        if (items.Count == 0)
        {
            return GridFileResult.Failed(file, root.Line, "le fichier ne contient aucune grille.");
        }

        var grids = new List<GridEntry>();
        var errors = new List<GridFileError>();
        var invalid = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var index = i + 1;
            var before = errors.Count;
            var grid = ReadGrid(items[i], file, index, errors);
            if (errors.Count > before || grid is null)
            {
                invalid++;
            }
            else
            {
                grids.Add(new GridEntry(grid, file, index, items[i].Line));
            }
        }

        return new GridFileResult(file, grids, errors, invalid);
    }

    private static Grid? ReadGrid(JNode node, string file, int index, List<GridFileError> errors)
    {
        void Error(int line, string? field, string message) =>
            errors.Add(new GridFileError(file, line, field, $"grille n°{index} : {message}", index));

        if (node is not JObject obj)
        {
            Error(node.Line, null, "une grille doit être un objet JSON.");
            return null;
        }

        var grid = new Grid();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.Properties)
        {
            if (!seen.Add(property.Name))
            {
                Error(property.Line, property.Name, "propriété en double.");
                continue;
            }

            if (!KnownFields.Contains(property.Name))
            {
                Error(property.Line, property.Name,
                    $"propriété inconnue (attendues : {string.Join(", ", KnownFields)}).");
            }
        }

        grid.PostId = RequiredString(obj, "post_id", Error) ?? "";
        grid.Period = RequiredString(obj, "period", Error) ?? "";
        grid.SchemaVersion = RequiredString(obj, "schema_version", Error) ?? "";

        if (obj.Find("comment") is { } comment)
        {
            switch (comment.Value)
            {
                case JValue { Kind: JsonTokenType.String } text:
                    grid.Comment = text.Text;
                    break;
                case JValue { Kind: JsonTokenType.Null }:
                    break;
                default:
                    Error(comment.Line, "comment", "le commentaire doit être une chaîne de caractères.");
                    break;
            }
        }

        var values = obj.Find("values");
        if (values is null)
        {
            Error(obj.Line, "values", "champ obligatoire manquant.");
        }
        else if (values.Value is not JObject cells)
        {
            Error(values.Line, "values", "« values » doit être un objet { \"cellule\": nombre entier, ... }.");
        }
        else
        {
            foreach (var cell in cells.Properties)
            {
                var path = cell.Name.Trim();
                if (path.Length == 0)
                {
                    Error(cell.Line, "values", "nom de cellule vide.");
                    continue;
                }

                if (grid.Values.ContainsKey(path))
                {
                    Error(cell.Line, path, "cellule en double.");
                    continue;
                }

                if (CellValue.TryParse(cell.Value, out var count, out var problem))
                {
                    grid.Values[path] = count;
                }
                else
                {
                    Error(cell.Line, path, problem);
                }
            }
        }

        return grid;
    }

    private static string? RequiredString(JObject obj, string name, Action<int, string?, string> error)
    {
        var property = obj.Find(name);
        if (property is null)
        {
            error(obj.Line, name, "champ obligatoire manquant.");
            return null;
        }

        if (property.Value is not JValue { Kind: JsonTokenType.String } value)
        {
            error(property.Line, name, "doit être une chaîne de caractères.");
            return null;
        }

        var text = value.Text.Trim();
        if (text.Length == 0)
        {
            error(property.Line, name, "ne doit pas être vide.");
            return null;
        }

        return text;
    }

    private static class CellValue
    {
        public static bool TryParse(JNode node, out long value, out string problem)
        {
            value = 0;
            switch (node)
            {
                case JValue { Kind: JsonTokenType.Number } number:
                    if (number.Text.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
                    {
                        problem = $"la valeur doit être un nombre entier (trouvé : {number.Text}).";
                        return false;
                    }

                    if (!long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                    {
                        problem = $"nombre entier trop grand (trouvé : {number.Text}).";
                        return false;
                    }

                    problem = "";
                    return true;
                case JValue { Kind: JsonTokenType.String } text:
                    problem = $"la valeur doit être un nombre entier, pas du texte (trouvé : \"{text.Text}\").";
                    return false;
                case JValue { Kind: JsonTokenType.Null }:
                    problem = "la valeur doit être un nombre entier (trouvé : null) ; omettez la cellule si elle vaut 0.";
                    return false;
                case JValue other:
                    problem = $"la valeur doit être un nombre entier (trouvé : {other.Text}).";
                    return false;
                default:
                    problem = "la valeur doit être un nombre entier, pas un objet ni un tableau.";
                    return false;
            }
        }
    }

    // A minimal JSON tree that remembers the line of every element.
    private abstract record JNode(int Line);

    private sealed record JObject(int Line, IReadOnlyList<JProperty> Properties) : JNode(Line)
    {
        public JProperty? Find(string name) => Properties.FirstOrDefault(p => p.Name == name);
    }

    private sealed record JProperty(string Name, int Line, JNode Value);

    private sealed record JArray(int Line, IReadOnlyList<JNode> Items) : JNode(Line);

    private sealed record JValue(int Line, JsonTokenType Kind, string Text) : JNode(Line);

    private static JNode Parse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new LineMap(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        reader.Read();
        var root = ParseValue(ref reader, lines);
        if (reader.Read())
        {
            // Not reached: the reader throws on a second top-level value.
            throw new JsonException("Trailing content.", null, lines.LineOf(reader.TokenStartIndex) - 1, 0);
        }

        return root;
    }

    private static JNode ParseValue(ref Utf8JsonReader reader, LineMap lines)
    {
        var line = lines.LineOf(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<JProperty>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString() ?? "";
                    var nameLine = lines.LineOf(reader.TokenStartIndex);
                    reader.Read();
                    properties.Add(new JProperty(name, nameLine, ParseValue(ref reader, lines)));
                }

                return new JObject(line, properties);
            case JsonTokenType.StartArray:
                var items = new List<JNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ParseValue(ref reader, lines));
                }

                return new JArray(line, items);
            case JsonTokenType.String:
                return new JValue(line, JsonTokenType.String, reader.GetString() ?? "");
            case JsonTokenType.Number:
                var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
                return new JValue(line, JsonTokenType.Number, Encoding.UTF8.GetString(raw));
            case JsonTokenType.True:
                return new JValue(line, JsonTokenType.True, "true");
            case JsonTokenType.False:
                return new JValue(line, JsonTokenType.False, "false");
            default:
                return new JValue(line, JsonTokenType.Null, "null");
        }
    }

    /// <summary>Maps byte offsets to 1-based line numbers.</summary>
    private sealed class LineMap
    {
        private readonly List<long> _lineStarts = [0];

        public LineMap(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        public int LineOf(long offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
