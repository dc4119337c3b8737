using System.Security.Cryptography;
using System.Text;
using Observatoire.Protos.V1;

namespace Observatoire.Workbooks;

/// <summary>The cells of a schema as the server serves it, in the schema's order, with their cell paths.</summary>
public static class SchemaCells
{
    /// <summary>"indicator[d1=o1,d2=o2]" for one combination of options of a breakdown.</summary>
    public static string PathOf(string indicator, Breakdown breakdown, IReadOnlyList<Option> options) =>
        $"{indicator}[{string.Join(',', breakdown.Dimensions.Select((d, i) => $"{d.Code}={options[i].Code}"))}]";

    /// <summary>Every combination of one option per dimension, the last dimension varying fastest.</summary>
    public static IReadOnlyList<IReadOnlyList<Option>> Combinations(IReadOnlyList<Dimension> dimensions)
    {
        IReadOnlyList<IReadOnlyList<Option>> result = [[]];
        foreach (var dimension in dimensions)
        {
            result = [.. result.SelectMany(prefix => dimension.Options.Select(o => (IReadOnlyList<Option>)[.. prefix, o]))];
        }

        return result;
    }

    /// <summary>Every indicator of the schema, in section order.</summary>
    public static IEnumerable<Indicator> Indicators(Schema schema) => schema.Sections.SelectMany(s => s.Indicators);

    /// <summary>Every cell path of the schema: totals first within an indicator, then its breakdowns' cells.</summary>
    public static IReadOnlyList<string> Paths(Schema schema)
    {
        var paths = new List<string>();
        foreach (var indicator in Indicators(schema))
        {
            if (indicator.HasTotal)
            {
                paths.Add(indicator.Code);
            }

            foreach (var breakdown in indicator.Breakdowns)
            {
                paths.AddRange(Combinations(breakdown.Dimensions).Select(c => PathOf(indicator.Code, breakdown, c)));
            }
        }

        return paths;
    }

    /// <summary>A short hash of the version and its cell paths: a workbook is read only against the same layout.</summary>
    public static string Fingerprint(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var text = schema.Version + "\n" + string.Join('\n', Paths(schema));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
