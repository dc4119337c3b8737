using Observatoire.Core.Registry;
using Observatoire.Core.Validation;
using Observatoire.Tests.Shared;

namespace Observatoire.Core.Tests;

/// <summary>Grids built for tests: a valid one, and helpers to break it.</summary>
public static class SampleGrids
{
    public static readonly DateOnly Today = new(2025, 6, 20);

    public static PostContext MonthlyPost => new("P-09-001", ReportingFrequency.Month, new DateOnly(2020, 1, 1), null);

    public static ValidationContext Context => ValidationContext.For(Today, MonthlyPost);

    /// <summary>A consistent monthly grid for March 2025.</summary>
    public static Dictionary<string, long> ValidValues() => ValidGridValues.Create();

    public static GridInput Grid(Dictionary<string, long>? values = null, string period = "2025-03", string? comment = null, string version = "2025.1", string post = "P-09-001") =>
        new(post, period, version, values ?? ValidValues(), comment);

    public static GridInput With(Action<Dictionary<string, long>> change, string? comment = null)
    {
        var values = ValidValues();
        change(values);
        return Grid(values, comment: comment);
    }
}
