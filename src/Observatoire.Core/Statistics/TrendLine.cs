using MathNet.Numerics.Distributions;

namespace Observatoire.Core.Statistics;

/// <summary>Ordinary least-squares line y = Intercept + Slope·x, with a Student t confidence interval on the slope.</summary>
/// <param name="Slope">Change of y per unit of x.</param>
/// <param name="Intercept">Value of y at x = 0.</param>
/// <param name="SlopeCiLow">Lower bound of the slope confidence interval.</param>
/// <param name="SlopeCiHigh">Upper bound of the slope confidence interval.</param>
/// <param name="RSquared">Coefficient of determination, 1 − SSE/SST (1 when y is constant).</param>
/// <param name="Points">Number of points fitted.</param>
public sealed record TrendLine(double Slope, double Intercept, double SlopeCiLow, double SlopeCiHigh, double RSquared, int Points)
{
    /// <summary>Highest confidence level accepted by <see cref="Fit"/>.</summary>
    /// <remarks>
    /// MathNet finds Student t quantiles by root search within ±800; with 3 points (1 degree of freedom)
    /// the 99.9 % two-sided quantile is 636.6, a higher level would fall outside and fail.
    /// </remarks>
    public const double MaxConfidence = 0.999;

    /// <summary>Value of the line at <paramref name="x"/>.</summary>
    public double At(double x) => Intercept + Slope * x;

    /// <summary>Whether the confidence interval of the slope excludes 0, i.e. the trend is distinguishable from flat.</summary>
    public bool IsSignificant => SlopeCiLow > 0 || SlopeCiHigh < 0;

    /// <summary>Fits y on x; null when there are fewer than 3 points or all x are equal (no slope can be estimated).</summary>
    /// <param name="x">Abscissas (e.g. years or period ordinals).</param>
    /// <param name="y">Observed values, same length as <paramref name="x"/>.</param>
    /// <param name="confidence">Two-sided confidence level of the slope interval, in (0, <see cref="MaxConfidence"/>].</param>
    /// <exception cref="ArgumentException">The lists differ in length or hold a NaN or infinite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The confidence level is outside (0, <see cref="MaxConfidence"/>].</exception>
    public static TrendLine? Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"x has {x.Count} values but y has {y.Count}.", nameof(y));
        }

        if (!(confidence > 0 && confidence <= MaxConfidence))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, $"The confidence level must be in (0, {MaxConfidence}].");
        }

        var xs = ToFiniteArray(x, nameof(x));
        var ys = ToFiniteArray(y, nameof(y));
        var n = xs.Length;

        // Two points always lie on a line: no residual degree of freedom is left to estimate the error.
        if (n < 3)
        {
            return null;
        }

        // Tested on the values themselves: the mean of equal values can differ from them by rounding,
        // which would leave a tiny non-zero Sxx and a meaningless, huge slope.
        if (Array.TrueForAll(xs, value => value == xs[0]))
        {
            return null;
        }

        var meanX = xs.Average();
        var meanY = ys.Average();
        var sxx = 0.0;
        var sst = 0.0;
        for (var i = 0; i < n; i++)
        {
            sxx += (xs[i] - meanX) * (xs[i] - meanX);
            sst += (ys[i] - meanY) * (ys[i] - meanY);
        }

        var (intercept, slope) = MathNet.Numerics.Fit.Line(xs, ys);

        var sse = 0.0;
        for (var i = 0; i < n; i++)
        {
            var residual = ys[i] - (intercept + slope * xs[i]);
            sse += residual * residual;
        }

        var degreesOfFreedom = n - 2;
        var slopeStandardError = Math.Sqrt(sse / degreesOfFreedom) / Math.Sqrt(sxx);
        var t = StudentT.InvCDF(0, 1, degreesOfFreedom, 1 - (1 - confidence) / 2);
        var halfWidth = t * slopeStandardError;

        // With an intercept, OLS guarantees 0 <= SSE <= SST; the clamp only absorbs rounding
        // (e.g. a constant y whose mean is not exactly representable), never a real misfit.
        var rSquared = sst == 0 ? 1.0 : Math.Clamp(1 - sse / sst, 0.0, 1.0);

        return new TrendLine(slope, intercept, slope - halfWidth, slope + halfWidth, rSquared, n);
    }

    private static double[] ToFiniteArray(IReadOnlyList<double> values, string name)
    {
        var array = new double[values.Count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = double.IsFinite(values[i])
                ? values[i]
                : throw new ArgumentException($"Value {i} is {values[i]}; a trend needs finite values.", name);
        }

        return array;
    }
}
