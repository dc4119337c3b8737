using System.Collections.Frozen;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Schemas;

/// <summary>Every schema version the product knows, from the data files embedded in this assembly.</summary>
public sealed class SchemaCatalog
{
    private const string ResourcePrefix = "Observatoire.Core.Schemas.";

    private readonly FrozenDictionary<string, GridSchema> _byVersion;

    public SchemaCatalog(IEnumerable<GridSchema> schemas)
    {
        All = [.. schemas.OrderBy(s => s.ValidFrom)];
        _byVersion = All.ToFrozenDictionary(s => s.Version, StringComparer.Ordinal);
        if (All.Count == 0)
        {
            throw new InvalidDataException("No grid schema.");
        }
    }

    /// <summary>Versions ordered by the first day they cover.</summary>
    public IReadOnlyList<GridSchema> All { get; }

    public GridSchema Latest => All[^1];

    /// <summary>Loads every embedded <c>Schemas/*.json</c> file.</summary>
    public static SchemaCatalog LoadEmbedded()
    {
        var assembly = typeof(SchemaCatalog).Assembly;
        var schemas = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                return SchemaLoader.Load(stream);
            });
        return new SchemaCatalog(schemas);
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
