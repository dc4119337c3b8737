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
    /// subfolders): grids an operator deploys without a new release, in the embedded files' format.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The folder does not exist, a file is not a consistent schema, or it declares a version already known; the message
    /// names the file.
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

            if (schemas.Any(known => known.Version == schema.Version))
            {
                throw new InvalidDataException($"{path}: schema version {schema.Version} is already known (embedded, or in another file of the folder).");
            }

            schemas.Add(schema);
        }

        return new SchemaCatalog(schemas);
    }

    private static List<GridSchema> Embedded()
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
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
