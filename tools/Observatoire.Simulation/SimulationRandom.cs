using System.Text;

namespace Observatoire.Simulation;

/// <summary>
/// A small deterministic random generator (xoshiro256**, seeded through SplitMix64) with the draws the simulator needs.
/// Unlike <see cref="Random"/> and <see cref="string.GetHashCode()"/>, its sequence is fixed for a key on every platform
/// and every .NET version, which makes a simulation reproducible from its seed.
/// </summary>
public sealed class SimulationRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double? _spareNormal;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public SimulationRandom(ulong seed)
    {
        var state = seed;
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    /// <summary>A generator whose sequence depends only on the seed and the parts (e.g. the post and the period).</summary>
    public static SimulationRandom For(long seed, params string[] parts) => new(Key(seed, parts));

    /// <summary>A stable 64-bit key of a seed and text parts (FNV-1a, then mixed).</summary>
    public static ulong Key(long seed, params string[] parts)
    {
        var hash = 14695981039346656037UL ^ (ulong)seed;
        hash *= 1099511628211UL;
        foreach (var part in parts)
        {
            foreach (var b in Encoding.UTF8.GetBytes(part))
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }

            hash ^= 0x1F;
            hash *= 1099511628211UL;
        }

        return Mix(hash);
    }

    /// <summary>A uniform number in [0, 1) that depends only on the seed and the parts.</summary>
    public static double UniformOf(long seed, params string[] parts) => (Mix(Key(seed, parts)) >> 11) * (1.0 / (1UL << 53));

    /// <summary>The next 64 random bits.</summary>
    public ulong NextBits()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [min, max] (both included).</summary>
    public int NextInt(int min, int max) => max <= min ? min : min + (int)(NextDouble() * (max - min + 1));

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u1;
        do
        {
            u1 = NextDouble();
        }
        while (u1 <= double.Epsilon);

        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Poisson draw of mean <paramref name="lambda"/> (exact below 30, normal approximation above).</summary>
    public long Poisson(double lambda)
    {
        if (!(lambda > 0))
        {
            return 0;
        }

        if (lambda < 30)
        {
            var limit = Math.Exp(-lambda);
            long count = 0;
            var product = NextDouble();
            while (product > limit)
            {
                count++;
                product *= NextDouble();
            }

            return count;
        }

        return Math.Max(0, (long)Math.Round(lambda + Math.Sqrt(lambda) * NextNormal()));
    }

    /// <summary>Binomial draw: successes among <paramref name="n"/> trials of probability <paramref name="p"/>.</summary>
    public long Binomial(long n, double p)
    {
        if (n <= 0 || !(p > 0))
        {
            return 0;
        }

        if (p >= 1)
        {
            return n;
        }

        if (n <= 40)
        {
            long successes = 0;
            for (var i = 0; i < n; i++)
            {
                if (NextDouble() < p)
                {
                    successes++;
                }
            }

            return successes;
        }

        var mean = n * p;
        if (mean < 10)
        {
            return Math.Min(n, Poisson(mean));
        }

        if (n * (1 - p) < 10)
        {
            return n - Math.Min(n, Poisson(n * (1 - p)));
        }

        var draw = (long)Math.Round(mean + Math.Sqrt(mean * (1 - p)) * NextNormal());
        return Math.Clamp(draw, 0, n);
    }

    /// <summary>Splits <paramref name="n"/> among categories of the given weights; the parts always add up to n.</summary>
    public long[] Multinomial(long n, IReadOnlyList<double> weights)
    {
        var parts = new long[weights.Count];
        var remainingWeight = weights.Sum(w => Math.Max(w, 0));
        var remaining = n;
        for (var i = 0; i < weights.Count && remaining > 0; i++)
        {
            var weight = Math.Max(weights[i], 0);
            if (i == weights.Count - 1 || remainingWeight <= 0)
            {
                parts[i] = remaining;
                remaining = 0;
                break;
            }

            var draw = Binomial(remaining, weight / remainingWeight);
            parts[i] = draw;
            remaining -= draw;
            remainingWeight -= weight;
        }

        if (remaining > 0)
        {
            // Only when every weight was zero: the last category takes the rest.
            parts[^1] += remaining;
        }

        return parts;
    }

    /// <summary>A log-normal factor around 1: exp(sigma × N(0,1)), clamped.</summary>
    public double Factor(double sigma, double min, double max) => Math.Clamp(Math.Exp(sigma * NextNormal()), min, max);

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
