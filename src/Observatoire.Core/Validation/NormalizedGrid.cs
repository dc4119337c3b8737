using System.Buffers;
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
    /// the text is written in one pass over the vector, as UTF-8 straight into a pooled buffer. Every piece of client
    /// text is followed by an ASCII separator (or ends the text), so encoding piece by piece gives the bytes of
    /// encoding the whole text at once, a lone surrogate included.
    /// </summary>
    private string ComputeHash()
    {
        var utf8 = Encoding.UTF8;
        var layout = Schema.Layout;
        var period = Period.ToString();
        var comment = Comment ?? "";

        // Every value as the culture formats an int (what StringBuilder.Append(int) writes): 64 bytes is ample.
        var bound = 64 + utf8.GetMaxByteCount(Schema.Version.Length + PostId.Length + period.Length + comment.Length)
            + layout.KeyPrefixBytes + (layout.Count * 64);
        var buffer = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            var at = 0;
            Put("schema="u8);
            at += utf8.GetBytes(Schema.Version, buffer.AsSpan(at));
            Put("\npost="u8);
            at += utf8.GetBytes(PostId, buffer.AsSpan(at));
            Put("\nperiod="u8);
            at += utf8.GetBytes(period, buffer.AsSpan(at));
            Put("\n"u8);
            var cells = layout.CellsByKey;
            var prefixes = layout.KeyPrefixesByKey;
            for (var i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                var value = Cells[cell.Index];
                if (cell.IsTotal || value != 0)
                {
                    Put(prefixes[i]);
                    if (!value.TryFormat(buffer.AsSpan(at), out var written, default, null))
                    {
                        throw new InvalidOperationException("The canonical text outgrew its buffer.");
                    }

                    at += written;
                    Put("\n"u8);
                }
            }

            Put("comment="u8);
            at += utf8.GetBytes(comment, buffer.AsSpan(at));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, at), hash);
            return Convert.ToHexStringLower(hash);

            void Put(ReadOnlySpan<byte> bytes)
            {
                bytes.CopyTo(buffer.AsSpan(at));
                at += bytes.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
