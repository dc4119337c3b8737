using System.Security.Cryptography;
using System.Text;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;

namespace Observatoire.Core.Validation;

/// <summary>
/// A valid grid in canonical form: cells as a dense vector in the schema's layout, and the
/// content hash that makes resubmissions recognisable whatever order or spelling the client used.
/// </summary>
public sealed class NormalizedGrid
{
    public NormalizedGrid(string postId, Period period, GridSchema schema, int[] cells, string? comment)
    {
        PostId = postId;
        Period = period;
        Schema = schema;
        Cells = cells;
        Comment = string.IsNullOrEmpty(comment) ? null : comment;
        ContentHash = ComputeHash();
    }

    public string PostId { get; }

    public Period Period { get; }

    public GridSchema Schema { get; }

    /// <summary>Dense cell vector in <see cref="CellLayout"/> order.</summary>
    public int[] Cells { get; }

    public string? Comment { get; }

    /// <summary>SHA-256 of the canonical content, lower-case hex.</summary>
    public string ContentHash { get; }

    /// <summary>The canonical values: every indicator total, and the breakdown cells that are not zero.</summary>
    public IReadOnlyDictionary<string, long> Values => ToValues(Schema, Cells);

    public static IReadOnlyDictionary<string, long> ToValues(GridSchema schema, IReadOnlyList<int> cells)
    {
        var values = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var cell in schema.Layout.Cells)
        {
            if (cell.IsTotal || cells[cell.Index] != 0)
            {
                values[cell.Key] = cells[cell.Index];
            }
        }

        return values;
    }

    /// <summary>
    /// The hash of the canonical text (schema, post, period, then every total and every non-zero breakdown cell as
    /// "key=value" in the ordinal order of the keys, then the comment): the layout keeps its cells in that order, so
    /// the text is written in one pass over the vector.
    /// </summary>
    private string ComputeHash()
    {
        var text = new StringBuilder(64 + (Cells.Length * 24))
            .Append("schema=").Append(Schema.Version).Append('\n')
            .Append("post=").Append(PostId).Append('\n')
            .Append("period=").Append(Period).Append('\n');
        foreach (var cell in Schema.Layout.CellsByKey)
        {
            var value = Cells[cell.Index];
            if (cell.IsTotal || value != 0)
            {
                text.Append(cell.Key).Append('=').Append(value).Append('\n');
            }
        }

        text.Append("comment=").Append(Comment);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
