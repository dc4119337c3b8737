using System.Runtime.CompilerServices;

namespace Observatoire.Core.Disclosure;

/// <summary>
/// Exact arithmetic modulo the Mersenne prime p = 2^61 - 1, for eliminations on margin equations.
/// </summary>
/// <remarks>
/// Margin matrices have 0/±1 entries; a rank or a solution computed modulo p agrees with the one over the
/// rationals unless p divides a non-zero minor of the matrix, i.e. unless some minor reaches 2^61 - 1 or a
/// multiple of it. Minors of margin tables are small integers, so this does not happen in practice, while
/// floating point would need a tolerance to tell a zero from rounding noise.
/// </remarks>
internal static class PrimeField
{
    public const ulong Prime = (1UL << 61) - 1;

    public static ulong FromInt64(long value)
    {
        var r = value % (long)Prime;
        return (ulong)(r < 0 ? r + (long)Prime : r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong a, ulong b)
    {
        var s = a + b;
        return s >= Prime ? s - Prime : s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sub(ulong a, ulong b) => a >= b ? a - b : a + Prime - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mul(ulong a, ulong b)
    {
        // a, b < 2^61, so the product is below 2^122; 2^61 = 1 (mod p) folds the high part onto the low part.
        var high = Math.BigMul(a, b, out var low);
        var folded = (low & Prime) + ((high << 3) | (low >> 61));
        return folded >= Prime ? folded - Prime : folded;
    }

    public static ulong Inverse(ulong a)
    {
        // Fermat: a^(p-2) = a^-1 for a non-zero a.
        ulong result = 1;
        var exponent = Prime - 2;
        while (exponent > 0)
        {
            if ((exponent & 1) != 0)
            {
                result = Mul(result, a);
            }

            a = Mul(a, a);
            exponent >>= 1;
        }

        return result;
    }
}
