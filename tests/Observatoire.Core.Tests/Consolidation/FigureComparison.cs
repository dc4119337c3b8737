using System.Text;
using Observatoire.Core.Consolidation;
using Observatoire.Core.Periods;

namespace Observatoire.Core.Tests.Consolidation;

/// <summary>Collects every difference found, so one failing run lists them all (the first ones in full).</summary>
internal sealed class Discrepancies(string title)
{
    private const int Shown = 40;
    private readonly List<string> _items = [];

    public int Count => _items.Count;

    public void Add(string what) => _items.Add(what);

    public void Check(bool same, string where, string what, object? expected, object? actual)
    {
        if (!same)
        {
            _items.Add($"{where} {what}: expected {Show(expected)}, production {Show(actual)}");
        }
    }

    public void AssertNone()
    {
        if (_items.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        text.AppendLine($"{title}: {_items.Count} discrepancies");
        foreach (var item in _items.Take(Shown))
        {
            text.AppendLine("  " + item);
        }

        if (_items.Count > Shown)
        {
            text.AppendLine($"  ... and {_items.Count - Shown} more");
        }

        Assert.Fail(text.ToString());
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        DateTime d => d.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}

/// <summary>Compares production figures with the oracle's, and production with itself.</summary>
internal static class FigureComparison
{
    public static string Where(AreaRef area, Period period) => $"[{area} {period}]";

    public static string Describe(IEnumerable<MissingGrid> missing) =>
        string.Join(", ", missing.Select(m => $"{m.PostId}@{m.Period}").Order(StringComparer.Ordinal));

    /// <summary>Everything the rules define; derivability only matters where some grid was used.</summary>
    public static void Compare(ExpectedFigures expected, AreaFigures actual, AreaRef area, Period period, Discrepancies d)
    {
        var where = Where(area, period);
        var cells = RandomWorld.Schema.Layout.Cells;
        d.Check(expected.ExpectedPosts == actual.ExpectedPosts, where, "ExpectedPosts", expected.ExpectedPosts, actual.ExpectedPosts);
        d.Check(expected.ContributingPosts == actual.ContributingPosts, where, "ContributingPosts", expected.ContributingPosts, actual.ContributingPosts);
        d.Check(expected.IncompatiblePosts == actual.IncompatiblePosts, where, "IncompatiblePosts", expected.IncompatiblePosts, actual.IncompatiblePosts);
        d.Check(expected.GridsUsed == actual.GridsUsed, where, "GridsUsed", expected.GridsUsed, actual.GridsUsed);
        d.Check(expected.HasData == actual.HasData, where, "HasData", expected.HasData, actual.HasData);
        var expectedMissing = Describe(expected.Missing);
        var actualMissing = Describe(actual.Missing);
        d.Check(expectedMissing == actualMissing, where, "Missing", expectedMissing, actualMissing);
        d.Check(expected.YearlyBilans == actual.YearlyBilans, where, "YearlyBilans", expected.YearlyBilans, actual.YearlyBilans);
        var expectedBilans = Describe(expected.MissingBilans);
        var actualBilans = Describe(actual.MissingBilans);
        d.Check(expectedBilans == actualBilans, where, "MissingBilans", expectedBilans, actualBilans);
        d.Check(Math.Abs(expected.Fte - actual.Fte) < 1e-9, where, "Fte", expected.Fte, actual.Fte);
        d.Check(expected.DataAsOf == actual.DataAsOf, where, "DataAsOf", expected.DataAsOf, actual.DataAsOf);
        var expectedVersions = string.Join(",", expected.SchemaVersions);
        var actualVersions = string.Join(",", actual.SchemaVersions);
        d.Check(expectedVersions == actualVersions, where, "SchemaVersions", expectedVersions, actualVersions);

        for (var c = 0; c < cells.Count; c++)
        {
            var key = cells[c].Key;
            d.Check(expected.StatusOf(c) == actual.StatusOf(c), where, $"{key} status", expected.StatusOf(c), actual.StatusOf(c));
            d.Check(expected.ValueOf(c) == actual.ValueOf(c), where, $"{key} value", expected.ValueOf(c), actual.ValueOf(c));
            if (expected.GridsUsed > 0)
            {
                d.Check(expected.Derivable[c] == actual.Derivable[c], where, $"{key} derivable", expected.Derivable[c], actual.Derivable[c]);
            }

            if (expected.HasData && expected.Derivable[c])
            {
                d.Check(expected.Values[c] == actual.Values[c], where, $"{key} Values[]", expected.Values[c], actual.Values[c]);
            }
        }
    }

    /// <summary>Two production figures of the same area and period must agree on everything that can be stated.</summary>
    public static void CompareProduction(AreaFigures expected, AreaFigures actual, string where, Discrepancies d)
    {
        d.Check(expected.Area == actual.Area, where, "Area", expected.Area, actual.Area);
        d.Check(expected.Period == actual.Period, where, "Period", expected.Period, actual.Period);
        d.Check(expected.ExpectedPosts == actual.ExpectedPosts, where, "ExpectedPosts", expected.ExpectedPosts, actual.ExpectedPosts);
        d.Check(expected.ContributingPosts == actual.ContributingPosts, where, "ContributingPosts", expected.ContributingPosts, actual.ContributingPosts);
        d.Check(expected.IncompatiblePosts == actual.IncompatiblePosts, where, "IncompatiblePosts", expected.IncompatiblePosts, actual.IncompatiblePosts);
        d.Check(expected.GridsUsed == actual.GridsUsed, where, "GridsUsed", expected.GridsUsed, actual.GridsUsed);
        d.Check(Describe(expected.Missing) == Describe(actual.Missing), where, "Missing", Describe(expected.Missing), Describe(actual.Missing));
        d.Check(Describe(expected.MissingBilans) == Describe(actual.MissingBilans), where, "MissingBilans", Describe(expected.MissingBilans), Describe(actual.MissingBilans));
        d.Check(Math.Abs(expected.Fte - actual.Fte) < 1e-9, where, "Fte", expected.Fte, actual.Fte);
        d.Check(expected.DataAsOf == actual.DataAsOf, where, "DataAsOf", expected.DataAsOf, actual.DataAsOf);
        d.Check(expected.SchemaVersions.SetEquals(actual.SchemaVersions), where, "SchemaVersions", string.Join(",", expected.SchemaVersions), string.Join(",", actual.SchemaVersions));
        for (var c = 0; c < expected.Values.Length; c++)
        {
            var key = expected.Schema.Layout.Cells[c].Key;
            d.Check(expected.StatusOf(c) == actual.StatusOf(c), where, $"{key} status", expected.StatusOf(c), actual.StatusOf(c));
            d.Check(expected.ValueOf(c) == actual.ValueOf(c), where, $"{key} value", expected.ValueOf(c), actual.ValueOf(c));
        }
    }
}
