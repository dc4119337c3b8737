using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;

namespace Observatoire.Core.Tests;

/// <summary>The in-place view of a stored grid answers exactly as the dictionary it replaces.</summary>
public class CellValuesTests
{
    private static readonly GridSchema Schema = SchemaCatalog.LoadEmbedded().Latest;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_view_holds_the_same_entries_as_the_canonical_values(int seed)
    {
        var random = new Random(seed);
        var cells = Enumerable.Range(0, Schema.Layout.Count).Select(_ => random.Next(3) == 0 ? 0 : random.Next(1, 500)).ToArray();

        var expected = NormalizedGrid.ToValues(Schema, cells);
        var view = new CellValues(Schema, cells);

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), view.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Count, view.Count);
        foreach (var cell in Schema.Layout.Cells)
        {
            Assert.Equal(expected.TryGetValue(cell.Key, out var a), view.TryGetValue(cell.Key, out var b));
            Assert.Equal(a, b);
        }

        Assert.False(view.ContainsKey("pas_une_cellule"));
    }
}
