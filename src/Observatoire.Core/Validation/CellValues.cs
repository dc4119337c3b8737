using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>
/// A stored grid's canonical values read in place: the entries of <see cref="NormalizedGrid.ToValues"/> (every
/// indicator total and the breakdown cells that are not zero, in layout order), without copying the grid into a
/// dictionary. Validation reads a post's history through it for every submission.
/// </summary>
public sealed class CellValues(GridSchema schema, IReadOnlyList<int> cells) : IReadOnlyDictionary<string, long>
{
    /// <summary>
    /// The dense vector when these values are laid out by <paramref name="layoutOf"/>: then the value of any cell of
    /// that layout is its entry, whether <see cref="TryGetValue"/> finds the key (a total, a non-zero cell) or not (0).
    /// </summary>
    internal IReadOnlyList<int>? DenseFor(GridSchema layoutOf) => ReferenceEquals(layoutOf, schema) ? cells : null;

    public long this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => Entries().Select(e => e.Key);

    public IEnumerable<long> Values => Entries().Select(e => e.Value);

    public int Count => Entries().Count();

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out long value)
    {
        if (schema.Layout.TryGetIndex(key, out var index) && (schema.Layout.Cells[index].IsTotal || cells[index] != 0))
        {
            value = cells[index];
            return true;
        }

        value = 0;
        return false;
    }

    public IEnumerator<KeyValuePair<string, long>> GetEnumerator() => Entries().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<KeyValuePair<string, long>> Entries() =>
        schema.Layout.Cells
            .Where(c => c.IsTotal || cells[c.Index] != 0)
            .Select(c => new KeyValuePair<string, long>(c.Key, cells[c.Index]));
}
