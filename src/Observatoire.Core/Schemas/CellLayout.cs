using System.Buffers.Binary;
using System.Collections.Frozen;

namespace Observatoire.Core.Schemas;

/// <summary>One cell of a schema's layout.</summary>
public sealed record CellDefinition(int Index, string Key, Indicator Indicator, Breakdown? Breakdown, IReadOnlyList<DimensionOption> Options)
{
    public bool IsTotal => Breakdown is null;

    /// <summary>How this cell consolidates across time.</summary>
    public Aggregation Aggregation => Breakdown?.Aggregation ?? Indicator.Aggregation;
}

/// <summary>
/// Every cell of a schema version in a fixed order. Grids are stored and consolidated as dense
/// vectors in this order: a schema version is immutable once shipped, so the order never changes.
/// </summary>
public sealed class CellLayout
{
    private readonly FrozenDictionary<string, int> _indexByKey;

    internal CellLayout(GridSchema schema)
    {
        var cells = new List<CellDefinition>();
        foreach (var indicator in schema.Indicators)
        {
            if (indicator.HasTotal)
            {
                cells.Add(new CellDefinition(cells.Count, indicator.Code, indicator, null, []));
            }

            foreach (var breakdown in indicator.Breakdowns)
            {
                foreach (var combination in Combinations(breakdown.Dimensions))
                {
                    var key = CellKey.Format(
                        indicator.Code,
                        breakdown.Dimensions.Select((d, i) => new KeyValuePair<string, string>(d.Code, combination[i].Code)));
                    cells.Add(new CellDefinition(cells.Count, key, indicator, breakdown, combination));
                }
            }
        }

        Cells = cells;
        CellsByKey = [.. cells.OrderBy(c => c.Key, StringComparer.Ordinal)];
        _indexByKey = cells.ToFrozenDictionary(c => c.Key, c => c.Index, StringComparer.Ordinal);
        KeyPrefixesByKey = [.. CellsByKey.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Key + "="))];
        KeyPrefixBytes = KeyPrefixesByKey.Sum(k => k.Length);
    }

    /// <summary>"key=" in UTF-8 for each cell of <see cref="CellsByKey"/>, in that order: the content hash writes them.</summary>
    internal IReadOnlyList<byte[]> KeyPrefixesByKey { get; }

    /// <summary>The total length of <see cref="KeyPrefixesByKey"/>.</summary>
    internal int KeyPrefixBytes { get; }

    public IReadOnlyList<CellDefinition> Cells { get; }

    /// <summary>The same cells in the ordinal order of their keys: the canonical order of a grid's content.</summary>
    public IReadOnlyList<CellDefinition> CellsByKey { get; }

    public int Count => Cells.Count;

    public bool TryGetIndex(string canonicalKey, out int index) => _indexByKey.TryGetValue(canonicalKey, out index);

    public int IndexOf(string canonicalKey) =>
        _indexByKey.TryGetValue(canonicalKey, out var index) ? index : throw new KeyNotFoundException(canonicalKey);

    /// <summary>The cells of one breakdown, in layout order.</summary>
    public IEnumerable<CellDefinition> CellsOf(Indicator indicator, Breakdown breakdown) =>
        Cells.Where(c => ReferenceEquals(c.Indicator, indicator) && ReferenceEquals(c.Breakdown, breakdown));

    /// <summary>Packs a dense vector as little-endian 32-bit integers.</summary>
    public byte[] Encode(ReadOnlySpan<int> vector)
    {
        if (vector.Length != Count)
        {
            throw new ArgumentException($"Expected {Count} cells, got {vector.Length}.", nameof(vector));
        }

        var bytes = new byte[vector.Length * sizeof(int)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), vector[i]);
        }

        return bytes;
    }

    /// <summary>Unpacks a vector written by <see cref="Encode"/>.</summary>
    public int[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Count * sizeof(int))
        {
            throw new ArgumentException($"Expected {Count * sizeof(int)} bytes, got {bytes.Length}.", nameof(bytes));
        }

        var vector = new int[Count];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * sizeof(int))..]);
        }

        return vector;
    }

    private static IEnumerable<DimensionOption[]> Combinations(IReadOnlyList<Dimension> dimensions)
    {
        IEnumerable<DimensionOption[]> result = [[]];
        foreach (var dimension in dimensions)
        {
            var captured = dimension;
            result = result.SelectMany(prefix => captured.Options.Select(o => (DimensionOption[])[.. prefix, o]));
        }

        return result;
    }
}
