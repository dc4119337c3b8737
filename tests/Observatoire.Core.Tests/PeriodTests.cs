using Observatoire.Core.Periods;

namespace Observatoire.Core.Tests;

public class PeriodTests
{
    [Theory]
    [InlineData("2025-03", PeriodKind.Month, "2025-03-01", "2025-03-31")]
    [InlineData("2024-02", PeriodKind.Month, "2024-02-01", "2024-02-29")]
    [InlineData("2025-T1", PeriodKind.Quarter, "2025-01-01", "2025-03-31")]
    [InlineData("2025-T4", PeriodKind.Quarter, "2025-10-01", "2025-12-31")]
    [InlineData("2025", PeriodKind.Year, "2025-01-01", "2025-12-31")]
    public void Period_text_parses_to_its_days(string text, PeriodKind kind, string start, string end)
    {
        var period = Period.Parse(text);

        Assert.Equal(kind, period.Kind);
        Assert.Equal(DateOnly.Parse(start), period.Start);
        Assert.Equal(DateOnly.Parse(end), period.End);
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2025-13")]
    [InlineData("2025-00")]
    [InlineData("2025-T5")]
    [InlineData("25-03")]
    [InlineData("2025/03")]
    [InlineData("")]
    public void Malformed_period_text_is_refused(string text) => Assert.False(Period.TryParse(text, out _));

    [Fact]
    public void Year_splits_into_quarters_and_months_that_tile_it()
    {
        var year = Period.Parse("2025");

        Assert.Equal(["2025-T1", "2025-T2", "2025-T3", "2025-T4"], year.Split(PeriodKind.Quarter).Select(p => p.ToString()));
        Assert.Equal(12, year.Split(PeriodKind.Month).Count);
        Assert.Equal(["2025-04", "2025-05", "2025-06"], Period.Parse("2025-T2").Split(PeriodKind.Month).Select(p => p.ToString()));
        Assert.Empty(Period.Parse("2025-T2").Split(PeriodKind.Year));
    }

    [Fact]
    public void Shift_crosses_year_boundaries()
    {
        Assert.Equal("2024-12", Period.Parse("2025-01").Previous().ToString());
        Assert.Equal("2024-T4", Period.Parse("2025-T1").Previous().ToString());
        Assert.Equal("2026-02", Period.Parse("2025-12").Shift(2).ToString());
        Assert.Equal("2024-03", Period.Parse("2025-03").YearEarlier().ToString());
    }
}
