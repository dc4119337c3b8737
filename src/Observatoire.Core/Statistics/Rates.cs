namespace Observatoire.Core.Statistics;

/// <summary>Rates that make departments and posts of different sizes comparable.</summary>
public static class Rates
{
    /// <summary>ANISCG coverage target: one ISCG post per 150,000 inhabitants.</summary>
    public const double InhabitantsPerPostTarget = 150_000;

    /// <summary>Count per 100,000 inhabitants; null when the population is unknown (zero or negative).</summary>
    public static double? Per100k(long value, long population) =>
        population <= 0 ? null : value * 100_000.0 / population;

    /// <summary>Count per full-time equivalent; null when there is no (or a meaningless) FTE to divide by.</summary>
    public static double? PerFte(long value, double fte) =>
        // Written as "not > 0" so that NaN is refused along with zero and negatives.
        !(fte > 0) || double.IsInfinity(fte) ? null : value / fte;

    /// <summary>Posts per 150,000 inhabitants: 1.0 means the ANISCG target is met exactly.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The population is zero or negative.</exception>
    public static double PostsPer150k(double posts, long population) =>
        // No null here (unlike Per100k): a territory without population has no coverage to report,
        // and silently returning infinity would leak into maps and rankings.
        population > 0
            ? posts * InhabitantsPerPostTarget / population
            : throw new ArgumentOutOfRangeException(nameof(population), population, "The population must be positive.");

    /// <summary>Number of posts the ANISCG target calls for: population / 150,000 (fractional).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The population is negative.</exception>
    public static double TargetPosts(long population) =>
        population >= 0
            ? population / InhabitantsPerPostTarget
            : throw new ArgumentOutOfRangeException(nameof(population), population, "The population cannot be negative.");
}
