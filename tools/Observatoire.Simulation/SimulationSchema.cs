using System.Text.RegularExpressions;
using Observatoire.Protos.V1;

namespace Observatoire.Simulation;

/// <summary>One cell of a served schema, as the simulator fills it.</summary>
public sealed record SimulationCell(string Key, Indicator Indicator, Breakdown? Breakdown, IReadOnlyList<(Dimension Dimension, Option Option)> Coordinates)
{
    public bool IsTotal => Breakdown is null;

    /// <summary>How the cell consolidates across time: the breakdown's when it says, else the indicator's.</summary>
    public Aggregation Aggregation => Breakdown is { Aggregation: not Aggregation.Unspecified } b ? b.Aggregation : Indicator.Aggregation;
}

/// <summary>A comparison between two cells that a declared rule demands: left ≤ right.</summary>
public sealed record Ordering(string Smaller, string Larger);

/// <summary>A declared rule "a == 0 or b > 0": a may be positive only when b is.</summary>
public sealed record ZeroUnless(string Cell, string Condition);

/// <summary>
/// The cells of a schema as served by SchemaService, and the shapes of its declared rules the simulator
/// satisfies by construction: breakdowns that add up to their total, comparisons between two cells, and
/// "zero unless". Every code comes from the served schema: a new grid version needs no change here.
/// </summary>
public sealed partial class SimulationSchema
{
    public SimulationSchema(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        var cells = new List<SimulationCell>();
        foreach (var indicator in schema.Sections.SelectMany(s => s.Indicators))
        {
            if (indicator.HasTotal)
            {
                cells.Add(new SimulationCell(indicator.Code, indicator, null, []));
            }

            foreach (var breakdown in indicator.Breakdowns)
            {
                IEnumerable<List<(Dimension, Option)>> combinations = [[]];
                foreach (var dimension in breakdown.Dimensions)
                {
                    var current = combinations.ToList();
                    combinations = current.SelectMany(prefix => dimension.Options.Select(o => new List<(Dimension, Option)>(prefix) { (dimension, o) }));
                }

                foreach (var combination in combinations)
                {
                    var key = $"{indicator.Code}[{string.Join(",", combination.Select(c => $"{c.Item1.Code}={c.Item2.Code}"))}]";
                    cells.Add(new SimulationCell(key, indicator, breakdown, combination));
                }
            }
        }

        Cells = cells;
        var keys = cells.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in schema.Rules.Where(r => r.Kind == "expression"))
        {
            var comparison = Comparison().Match(rule.Expression);
            if (comparison.Success && keys.Contains(comparison.Groups["a"].Value) && keys.Contains(comparison.Groups["b"].Value))
            {
                var (a, b) = (comparison.Groups["a"].Value, comparison.Groups["b"].Value);
                Orderings.Add(comparison.Groups["op"].Value == "<=" ? new Ordering(a, b) : new Ordering(b, a));
                continue;
            }

            var zero = ZeroUnlessPattern().Match(rule.Expression);
            if (zero.Success && keys.Contains(zero.Groups["a"].Value) && keys.Contains(zero.Groups["b"].Value))
            {
                ZeroUnlessRules.Add(new ZeroUnless(zero.Groups["a"].Value, zero.Groups["b"].Value));
            }
        }
    }

    /// <summary>The served schema.</summary>
    public Schema Schema { get; }

    public string Version => Schema.Version;

    /// <summary>Every cell: totals and the cells of every breakdown, dimensions in schema order.</summary>
    public IReadOnlyList<SimulationCell> Cells { get; }

    /// <summary>Comparisons between two cells declared as rules ("a &lt;= b", "a &gt;= b").</summary>
    public List<Ordering> Orderings { get; } = [];

    /// <summary>"a == 0 or b &gt; 0" rules.</summary>
    public List<ZeroUnless> ZeroUnlessRules { get; } = [];

    /// <summary>True when every post may send the grid of a whole year (its yearly bilan).</summary>
    public bool HasYearlyBilan => Schema.YearlyBilan is not null;

    /// <summary>Every cell path of the schema.</summary>
    public IReadOnlySet<string> CellKeys => Cells.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*(?<a>[a-z0-9_]+(?:\[[^\]*]+\])?)\s*(?<op><=|>=)\s*(?<b>[a-z0-9_]+(?:\[[^\]*]+\])?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Comparison();

    [GeneratedRegex(@"^\s*(?<a>[a-z0-9_]+(?:\[[^\]*]+\])?)\s*==\s*0\s+or\s+(?<b>[a-z0-9_]+(?:\[[^\]*]+\])?)\s*>\s*0\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ZeroUnlessPattern();
}
