using Observatoire.Core.Statistics;

namespace Observatoire.Core.Tests.Statistics;

public class TrendLineTests
{
    // Two-sided Student t quantiles from published tables (t_{0.975} and t_{0.95}).
    private const double T975With4Df = 2.776445105;
    private const double T95With4Df = 2.131846786;
    private const double T975With1Df = 12.70620474;

    private static readonly double[] SixX = [1, 2, 3, 4, 5, 6];
    private static readonly double[] SixY = [2, 4, 5, 4, 5, 7];

    [Fact]
    public void Fit_matches_the_closed_form_least_squares_line_and_its_95_percent_interval()
    {
        var expected = ByHand(SixX, SixY, T975With4Df);

        var trend = TrendLine.Fit(SixX, SixY);

        Assert.NotNull(trend);
        Assert.Equal(expected.Slope, trend.Slope, 12);
        Assert.Equal(expected.Intercept, trend.Intercept, 12);
        Assert.Equal(expected.CiLow, trend.SlopeCiLow, 8);
        Assert.Equal(expected.CiHigh, trend.SlopeCiHigh, 8);
        Assert.Equal(expected.RSquared, trend.RSquared, 12);
        Assert.Equal(6, trend.Points);
    }

    [Fact]
    public void Fit_of_the_six_point_example_gives_the_values_worked_out_on_paper()
    {
        // Sxx = 17.5, Sxy = Syy = 13.5: slope = 27/35, intercept = 4.5 - 3.5 * 27/35 = 1.8,
        // SSE = 13.5 - 13.5²/17.5 = 108/35, se = sqrt(SSE/4)/sqrt(17.5) ≈ 0.2099563, R² = 27/35.
        var trend = TrendLine.Fit(SixX, SixY)!;

        Assert.Equal(27.0 / 35.0, trend.Slope, 12);
        Assert.Equal(1.8, trend.Intercept, 12);
        Assert.Equal(0.188497, trend.SlopeCiLow, 6);
        Assert.Equal(1.354361, trend.SlopeCiHigh, 6);
        Assert.Equal(27.0 / 35.0, trend.RSquared, 12);
        Assert.True(trend.IsSignificant);
    }

    [Fact]
    public void Fit_uses_the_t_quantile_of_the_requested_confidence_level()
    {
        var expected = ByHand(SixX, SixY, T95With4Df);

        var trend = TrendLine.Fit(SixX, SixY, confidence: 0.90)!;

        Assert.Equal(expected.CiLow, trend.SlopeCiLow, 8);
        Assert.Equal(expected.CiHigh, trend.SlopeCiHigh, 8);
    }

    [Fact]
    public void Fit_of_three_points_has_one_degree_of_freedom_and_a_wide_interval()
    {
        double[] x = [0, 1, 2];
        double[] y = [0, 2, 1];
        var expected = ByHand(x, y, T975With1Df);

        var trend = TrendLine.Fit(x, y)!;

        Assert.Equal(0.5, trend.Slope, 12);
        Assert.Equal(0.5, trend.Intercept, 12);
        Assert.Equal(expected.CiLow, trend.SlopeCiLow, 7);
        Assert.Equal(expected.CiHigh, trend.SlopeCiHigh, 7);
        Assert.False(trend.IsSignificant);
    }

    [Fact]
    public void Fit_on_calendar_years_gives_the_same_slope_as_on_small_ordinals()
    {
        var years = SixX.Select(i => 2018 + i).ToArray();

        var onOrdinals = TrendLine.Fit(SixX, SixY)!;
        var onYears = TrendLine.Fit(years, SixY)!;

        Assert.Equal(onOrdinals.Slope, onYears.Slope, 10);
        Assert.Equal(onOrdinals.SlopeCiLow, onYears.SlopeCiLow, 9);
        Assert.Equal(onOrdinals.SlopeCiHigh, onYears.SlopeCiHigh, 9);
        Assert.Equal(onOrdinals.RSquared, onYears.RSquared, 10);
        Assert.Equal(onOrdinals.At(1), onYears.At(2019), 7);
    }

    [Fact]
    public void Fit_of_points_on_a_line_has_no_uncertainty_and_explains_everything()
    {
        double[] x = [0, 1, 2, 3];
        double[] y = [3, 1, -1, -3];

        var trend = TrendLine.Fit(x, y)!;

        Assert.Equal(-2, trend.Slope, 12);
        Assert.Equal(3, trend.Intercept, 12);
        Assert.Equal(-2, trend.SlopeCiLow, 12);
        Assert.Equal(-2, trend.SlopeCiHigh, 12);
        Assert.Equal(1, trend.RSquared, 12);
        Assert.Equal(-17, trend.At(10), 12);
        Assert.True(trend.IsSignificant);
    }

    [Fact]
    public void Fit_of_a_constant_series_is_flat_and_fully_explained()
    {
        double[] x = [1, 2, 3, 4, 5];
        double[] y = [0.1, 0.1, 0.1, 0.1, 0.1];

        var trend = TrendLine.Fit(x, y)!;

        Assert.Equal(0, trend.Slope, 12);
        Assert.Equal(0.1, trend.Intercept, 12);
        Assert.Equal(0, trend.SlopeCiLow, 12);
        Assert.Equal(0, trend.SlopeCiHigh, 12);
        Assert.Equal(1, trend.RSquared);
        Assert.False(trend.IsSignificant);
    }

    [Fact]
    public void Fit_of_a_noisy_flat_series_has_an_interval_that_contains_zero()
    {
        // Sxx = 10, Sxy = 3, Syy = 10: slope 0.3, SSE = 9.1, far too noisy for 5 points to show a trend.
        double[] x = [1, 2, 3, 4, 5];
        double[] y = [3, 5, 2, 6, 4];

        var trend = TrendLine.Fit(x, y)!;

        Assert.Equal(0.3, trend.Slope, 12);
        Assert.Equal(1 - 9.1 / 10, trend.RSquared, 12);
        Assert.True(trend.SlopeCiLow < 0 && trend.SlopeCiHigh > 0);
        Assert.False(trend.IsSignificant);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Fit_needs_at_least_three_points(int count)
    {
        var x = Enumerable.Range(1, count).Select(i => (double)i).ToArray();
        var y = x.Select(v => 2 * v).ToArray();

        Assert.Null(TrendLine.Fit(x, y));
    }

    [Theory]
    [InlineData(2024.0)]
    [InlineData(0.1)]
    public void Fit_has_no_slope_when_all_x_are_equal(double x)
    {
        // 0.1 is there because the mean of three 0.1 is not exactly 0.1 in binary.
        Assert.Null(TrendLine.Fit([x, x, x], [1, 2, 3]));
    }

    [Fact]
    public void Fit_refuses_lists_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => TrendLine.Fit([1, 2, 3], [1, 2]));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Fit_refuses_non_finite_values(double bad)
    {
        Assert.Throws<ArgumentException>(() => TrendLine.Fit([1, 2, bad], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => TrendLine.Fit([1, 2, 3], [bad, 2, 3]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.9999)]
    [InlineData(-0.95)]
    [InlineData(double.NaN)]
    public void Fit_refuses_a_confidence_level_it_cannot_compute(double confidence) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TrendLine.Fit(SixX, SixY, confidence));

    [Fact]
    public void Fit_of_three_points_at_the_highest_confidence_level_still_gives_an_interval()
    {
        double[] x = [0, 1, 2];
        double[] y = [0, 2, 1];

        // t_{0.9995} with 1 df is 636.6192 (table value).
        var expected = ByHand(x, y, 636.6192);

        var trend = TrendLine.Fit(x, y, TrendLine.MaxConfidence)!;

        Assert.Equal(expected.CiHigh, trend.SlopeCiHigh, 3);
    }

    /// <summary>Textbook OLS from raw sums, independent of the centred computation under test.</summary>
    private static (double Slope, double Intercept, double CiLow, double CiHigh, double RSquared) ByHand(double[] x, double[] y, double t)
    {
        double n = x.Length, sumX = 0, sumY = 0, sumXy = 0, sumXx = 0, sumYy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sumX += x[i];
            sumY += y[i];
            sumXy += x[i] * y[i];
            sumXx += x[i] * x[i];
            sumYy += y[i] * y[i];
        }

        var slope = (n * sumXy - sumX * sumY) / (n * sumXx - sumX * sumX);
        var intercept = (sumY - slope * sumX) / n;

        double sse = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var residual = y[i] - intercept - slope * x[i];
            sse += residual * residual;
        }

        var sxx = sumXx - sumX * sumX / n;
        var sst = sumYy - sumY * sumY / n;
        var standardError = Math.Sqrt(sse / (n - 2)) / Math.Sqrt(sxx);
        return (slope, intercept, slope - t * standardError, slope + t * standardError, 1 - sse / sst);
    }
}
