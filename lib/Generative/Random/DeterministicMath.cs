namespace Generative;

/// <summary>
/// Elementary functions built only from IEEE 754 operations that every platform rounds identically
/// (+, -, *, / and sqrt, and bit manipulation). <see cref="Math.Log(double)"/> calls the platform's libm,
/// whose last bit may differ between Windows, Linux and macOS; sampling must not, or a seeded notebook would
/// store different outputs on different machines.
/// </summary>
internal static class DeterministicMath
{
    // ln 2 split into a high part with trailing zero bits (so k * Ln2High is exact for |k| < 2^11)
    // and the rounded remainder: the split used by fdlibm's e_log.c.
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;

    // Minimax coefficients of R(z) = Lg1 z + Lg2 z^2 + ... + Lg7 z^7, z = s^2, with log(1+f) = 2s + s R(z) on
    // |s| <= 0.1716 (fdlibm e_log.c). Their error, about 2^-58.45, keeps the total error below one ulp.
    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;

    private const double Sqrt2 = 1.4142135623730951;
    private const double SmallestNormal = 2.2250738585072014E-308; // 2^-1022

    /// <summary>
    /// Natural logarithm, within one ulp of the exact value, bit-identical on every platform.
    /// log(x) = k ln 2 + log(m) with x = m 2^k, m in [sqrt(1/2), sqrt(2)); log(m) = log(1+f) is evaluated
    /// through s = f / (2 + f), since log(1+f) = 2 atanh(s) = 2s + 2s^3/3 + ... converges fast for small s.
    /// </summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0)
        {
            return double.NaN;
        }
        if (x == 0)
        {
            return double.NegativeInfinity;
        }
        if (double.IsPositiveInfinity(x))
        {
            return x;
        }

        var k = 0;
        if (x < SmallestNormal)
        {
            // Scale subnormals up by 2^54 so the exponent field holds the whole exponent.
            x *= 18014398509481984.0;
            k = -54;
        }
        var bits = BitConverter.DoubleToInt64Bits(x);
        k += (int)((bits >> 52) & 0x7FF) - 1023;
        var m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L); // in [1, 2)
        if (m >= Sqrt2)
        {
            m *= 0.5; // exact
            k += 1;
        }

        var f = m - 1.0; // exact (Sterbenz)
        var s = f / (2.0 + f);
        var z = s * s;
        var w = z * z;
        // Split the polynomial into even and odd parts, as fdlibm does, to shorten the dependency chain
        // without changing the rounding behaviour from platform to platform.
        var oddPart = w * (Lg2 + w * (Lg4 + w * Lg6));
        var evenPart = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
        var r = oddPart + evenPart;
        var halfFSquared = 0.5 * f * f;
        return k * Ln2High - ((halfFSquared - (s * (halfFSquared + r) + k * Ln2Low)) - f);
    }
}
