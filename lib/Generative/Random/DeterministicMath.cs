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

    // Kernel coefficients of fdlibm's k_sin.c and k_cos.c: minimax polynomials for sin and cos on [-pi/4, pi/4]
    // with errors below 2^-58, so the result stays within one ulp.
    private const double S1 = -1.66666666666666324348e-01;
    private const double S2 = 8.33333333332248946124e-03;
    private const double S3 = -1.98412698298579493134e-04;
    private const double S4 = 2.75573137070700676789e-06;
    private const double S5 = -2.50507602534068634195e-08;
    private const double S6 = 1.58969099521155010221e-10;
    private const double C1 = 4.16666666666666019037e-02;
    private const double C2 = -1.38888888888741095749e-03;
    private const double C3 = 2.48015872894767294178e-05;
    private const double C4 = -2.75573143513906633035e-07;
    private const double C5 = 2.08757232129817482790e-09;
    private const double C6 = -1.13596475577881948265e-11;

    // pi/2 in three 33-bit pieces, each with its rounded tail (fdlibm e_rem_pio2.c): n times a piece is exact for
    // the n allowed here, and the later pieces are used only when cancellation leaves few significant bits.
    private const double HalfPi1 = 1.57079632673412561417e+00;
    private const double HalfPi1Tail = 6.07710050650619224932e-11;
    private const double HalfPi2 = 6.07710050630396597660e-11;
    private const double HalfPi2Tail = 2.02226624879595063154e-21;
    private const double HalfPi3 = 2.02226624871116645580e-21;
    private const double HalfPi3Tail = 8.47842766036889956997e-32;
    private const double TwoOverPi = 6.36619772367581382433e-01;

    /// <summary>The largest |x| <see cref="SinCos"/> accepts: the three-piece reduction stays exact below it.</summary>
    public const double MaxSinCosArgument = 1e5;

    /// <summary>x^n for a whole n &gt;= 0 by repeated squaring: only multiplications, so every platform gives the same
    /// bits (Math.Pow is the platform's libm). Used for Adam's bias corrections β^t.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static double Power(double x, long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var result = 1.0;
        for (var square = x; n > 0; n >>= 1, square *= square)
        {
            if ((n & 1) != 0)
            {
                result *= square;
            }
        }
        return result;
    }

    /// <summary>
    /// Sine and cosine of <paramref name="x"/>, within about one ulp, bit-identical on every platform
    /// (<see cref="Math.Sin(double)"/> comes from the platform's libm). x = n pi/2 + r with |r| &lt;= pi/4, r kept as a
    /// head and a tail; then sin and cos of r from their kernel polynomials, swapped and negated by n mod 4.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">|x| exceeds <see cref="MaxSinCosArgument"/> or is not finite.</exception>
    public static (double Sin, double Cos) SinCos(double x)
    {
        if (!(Math.Abs(x) <= MaxSinCosArgument))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, $"SinCos needs a finite |x| <= {MaxSinCosArgument}.");
        }
        var n = Math.Round(x * TwoOverPi, MidpointRounding.ToEven); // rounding is exact and platform-independent
        var (head, tail) = ReduceByHalfPi(x, n);
        var sin = KernelSin(head, tail);
        var cos = KernelCos(head, tail);
        return ((long)n & 3) switch
        {
            0 => (sin, cos),
            1 => (cos, -sin),
            2 => (-sin, -cos),
            _ => (-cos, sin),
        };
    }

    /// <summary>x - n pi/2 as head + tail, adding pieces of pi/2 while the subtraction cancels many bits.</summary>
    private static (double Head, double Tail) ReduceByHalfPi(double x, double n)
    {
        var r = x - n * HalfPi1;
        var w = n * HalfPi1Tail;
        var head = r - w;
        var exponent = Exponent(x);
        if (exponent - Exponent(head) > 16)
        {
            var t = r;
            w = n * HalfPi2;
            r = t - w;
            w = n * HalfPi2Tail - ((t - r) - w);
            head = r - w;
            if (exponent - Exponent(head) > 49)
            {
                t = r;
                w = n * HalfPi3;
                r = t - w;
                w = n * HalfPi3Tail - ((t - r) - w);
                head = r - w;
            }
        }
        return (head, (r - head) - w);
    }

    private static int Exponent(double value) => (int)((BitConverter.DoubleToInt64Bits(value) >> 52) & 0x7FF);

    /// <summary>sin(x + y) for |x| &lt;= pi/4 and |y| much smaller than an ulp of x.</summary>
    private static double KernelSin(double x, double y)
    {
        var z = x * x;
        var v = z * x;
        var r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
        return x - ((z * (0.5 * y - v * r) - y) - v * S1);
    }

    /// <summary>cos(x + y) for |x| &lt;= pi/4 and |y| much smaller than an ulp of x.</summary>
    private static double KernelCos(double x, double y)
    {
        var z = x * x;
        var r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        var halfZ = 0.5 * z;
        var w = 1.0 - halfZ;
        return w + (((1.0 - w) - halfZ) + (z * r - x * y));
    }
}
