using System.Collections.Frozen;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Schemas;

/// <summary>Every schema version the product knows: the data files embedded in this assembly, and an operator's own.</summary>
public sealed class SchemaCatalog
{
    private const string ResourcePrefix = "Observatoire.Core.Schemas.";

    private readonly FrozenDictionary<string, GridSchema> _byVersion;

    public SchemaCatalog(IEnumerable<GridSchema> schemas)
    {
        All = [.. schemas.OrderBy(s => s.ValidFrom)];
        if (All.Count == 0)
        {
            throw new InvalidDataException("No grid schema.");
        }

        if (All.GroupBy(s => s.Version, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new InvalidDataException($"Schema version {repeated.Key} is declared twice.");
        }

        _byVersion = All.ToFrozenDictionary(s => s.Version, StringComparer.Ordinal);
    }

    /// <summary>Versions ordered by the first day they cover.</summary>
    public IReadOnlyList<GridSchema> All { get; }

    public GridSchema Latest => All[^1];

    /// <summary>Loads every embedded <c>Schemas/*.json</c> file.</summary>
    public static SchemaCatalog LoadEmbedded() => new(Embedded());

    /// <summary>
    /// The embedded versions and, when <paramref name="directory"/> is set, every <c>*.json</c> file in it (not its
    /// subfolders): grids an operator deploys without a new release, in the embedded files' format. A file of an embedded
    /// version replaces it if its cells (codes and aggregations, in order) are the same: to end it (<c>valid_to</c>) or
    /// reword it.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The folder does not exist, a file is not a consistent schema, two files declare the same version, or a file
    /// restates an embedded version with other cells; the message names the file.
    /// </exception>
    public static SchemaCatalog Load(string? directory)
    {
        var schemas = Embedded().ToList();
        if (string.IsNullOrWhiteSpace(directory))
        {
            return new SchemaCatalog(schemas);
        }

        if (!Directory.Exists(directory))
        {
            throw new InvalidDataException($"The schema folder {directory} does not exist.");
        }

        var fromFolder = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            GridSchema schema;
            try
            {
                using var stream = File.OpenRead(path);
                schema = SchemaLoader.Load(stream);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }

            if (!fromFolder.Add(schema.Version))
            {
                throw new InvalidDataException($"{path}: schema version {schema.Version} is already in another file of the folder.");
            }

            // A file may restate an embedded version (to end it with valid_to, or reword it), but never change its cells:
            // grids already stored under that version are read by its layout.
            var embedded = schemas.FindIndex(known => known.Version == schema.Version);
            if (embedded < 0)
            {
                schemas.Add(schema);
            }
            else if (SameCells(schemas[embedded], schema))
            {
                schemas[embedded] = schema;
            }
            else
            {
                throw new InvalidDataException(
                    $"{path}: schema version {schema.Version} is embedded with other cells; a file may change its dates, labels and rules, never its cells (their codes and aggregations): give a new grid a new version.");
            }
        }

        return new SchemaCatalog(schemas);
    }

    /// <summary>
    /// The text of the embedded data file of <paramref name="version"/>: where a file of <c>Schemas:Directory</c> that
    /// restates it (to end it) or follows it (the next grid) starts from.
    /// </summary>
    /// <exception cref="ArgumentException">No embedded file has that version.</exception>
    public static string EmbeddedFile(string version)
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        foreach (var name in EmbeddedNames())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var text = new StreamReader(stream).ReadToEnd();
            if (SchemaLoader.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))).Version == version)
            {
                return text;
            }
        }

        throw new ArgumentException($"No embedded schema has version {version}.", nameof(version));
    }

    private static bool SameCells(GridSchema a, GridSchema b) =>
        a.Layout.Cells.Select(c => (c.Key, c.Aggregation)).SequenceEqual(b.Layout.Cells.Select(c => (c.Key, c.Aggregation)));

    private static IEnumerable<string> EmbeddedNames() => typeof(SchemaCatalog).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal);

    private static List<GridSchema> Embedded()
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        return [.. EmbeddedNames()
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                return SchemaLoader.Load(stream);
            })];
    }

    public GridSchema? Find(string version) => _byVersion.GetValueOrDefault(version);

    /// <summary>The newest version that covers every day of the period, if any.</summary>
    public GridSchema? Covering(Period period)
    {
        for (var i = All.Count - 1; i >= 0; i--)
        {
            if (All[i].Covers(period))
            {
                return All[i];
            }
        }

        return null;
    }
}
