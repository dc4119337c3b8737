using MathNet.Numerics.Statistics;

namespace Observatoire.Core.Statistics;

/// <summary>A value's modified z-score against a reference set, with the robust statistics it was computed from.</summary>
/// <param name="Median">Median of the reference set.</param>
/// <param name="Mad">Median absolute deviation from the median (raw, unscaled); 0 when the mean-deviation fallback was used.</param>
/// <param name="Z">Modified z-score; ±infinity when the reference has no spread at all and the value differs from it.</param>
/// <param name="ReferenceCount">Number of values in the reference set.</param>
public sealed record ModifiedZScore(double Median, double Mad, double Z, int ReferenceCount);

/// <summary>Outlier scoring with the modified z-score of Iglewicz and Hoaglin (1993), robust to the outliers it looks for.</summary>
public static class RobustScore
{
    /// <summary>Iglewicz and Hoaglin's recommended cut-off: |z| above 3.5 marks a potential outlier.</summary>
    public const double DefaultThreshold = 3.5;

    /// <summary>Smallest reference set that gets a score: with fewer values a median and its deviation say nothing.</summary>
    public const int MinimumReferenceCount = 3;

    // 0.6745 is the 75th percentile of the standard normal: 0.6745 / MAD estimates 1/σ for normal data.
    private const double MadConsistency = 0.6745;

    // 1.253314 ≈ sqrt(π/2) is σ / mean absolute deviation for normal data (IBM SPSS fallback when MAD = 0).
    private const double MeanAdConsistency = 1.253314;

    /// <summary>Scores <paramref name="value"/> against <paramref name="reference"/>; null when the reference has fewer than 3 values.</summary>
    /// <remarks>
    /// z = 0.6745 (x − median) / MAD. When more than half the reference is equal MAD is 0, and the score
    /// falls back to z = (x − median) / (1.253314 × MeanAD), MeanAD being the mean absolute deviation from the median.
    /// When that is 0 too (all reference values equal), z is 0 for a value equal to them and ±infinity otherwise:
    /// any departure from a perfectly uniform reference is infinitely unusual, and the sign keeps its direction.
    /// </remarks>
    /// <exception cref="ArgumentException">The value or a reference value is NaN or infinite.</exception>
    public static ModifiedZScore? Score(double value, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Cannot score {value}.", nameof(value));
        }

        return Describe(reference, nameof(reference)) is { } spread ? spread.Score(value) : null;
    }

    /// <summary>Values whose |z| against the whole list (themselves included) exceeds <paramref name="threshold"/>, in list order.</summary>
    /// <remarks>Empty when the list has fewer than 3 values. Typical use: the posts of one department against each other.</remarks>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is negative or NaN.</exception>
    public static IReadOnlyList<(int Index, ModifiedZScore Score)> Outliers(IReadOnlyList<double> values, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(threshold >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be zero or positive.");
        }

        if (Describe(values, nameof(values)) is not { } spread)
        {
            return [];
        }

        var outliers = new List<(int Index, ModifiedZScore Score)>();
        for (var i = 0; i < values.Count; i++)
        {
            var score = spread.Score(values[i]);
            if (Math.Abs(score.Z) > threshold)
            {
                outliers.Add((i, score));
            }
        }

        return outliers;
    }

    private static Spread? Describe(IReadOnlyList<double> reference, string name)
    {
        if (reference.Count < MinimumReferenceCount)
        {
            return null;
        }

        var data = new double[reference.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = double.IsFinite(reference[i])
                ? reference[i]
                : throw new ArgumentException($"Reference value {i} is {reference[i]}.", name);
        }

        // MedianInplace reorders its argument: data is our own copy, and deviations go to a second array.
        var median = ArrayStatistics.MedianInplace(data);
        var deviations = new double[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            deviations[i] = Math.Abs(data[i] - median);
        }

        var meanAd = deviations.Average();
        var mad = ArrayStatistics.MedianInplace(deviations);
        return new Spread(median, mad, meanAd, data.Length);
    }

    private readonly record struct Spread(double Median, double Mad, double MeanAd, int Count)
    {
        public ModifiedZScore Score(double value)
        {
            var deviation = value - Median;
            var z = Mad > 0 ? MadConsistency * deviation / Mad
                : MeanAd > 0 ? deviation / (MeanAdConsistency * MeanAd)
                : deviation == 0 ? 0.0
                : Math.Sign(deviation) * double.PositiveInfinity;
            return new ModifiedZScore(Median, Mad, z, Count);
        }
    }
}
