using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Generative.Tensors.Kernels;

/// <summary>
/// The engine's sums and elementary functions, written so that the same inputs give the same bits on every
/// processor a learner has: x64 with AVX-512, with AVX2, with only SSE, and ARM64, at any core count. Span in,
/// destination out, as <c>TensorPrimitives</c>; every kernel whose result reaches a stored notebook output goes through
/// these instead of <c>TensorPrimitives.Sum</c>/<c>Exp</c>/... and <c>MathF.Exp</c>/<c>Log</c>, whose results depend
/// on the vector width (which elements land in which accumulator, which take a scalar tail) or on the platform's libm.
/// </summary>
/// <remarks>
/// <para>Reductions use a fixed number of logical lanes, <see cref="Lanes"/>: element i is added into lane i mod 16
/// in index order, and the 16 lane totals are combined by one fixed tree. A 256-bit machine holds the lanes in two
/// registers, a 128-bit one (SSE, NEON) in four; both add the same numbers in the same order.</para>
/// <para>Elementary functions evaluate the same polynomial in every lane with separate multiplies and adds (no fused
/// multiply-add, which some processors lack), and a tail shorter than one vector is computed as a whole padded vector,
/// so a value does not depend on where in a span it sits. The integer part of exp's argument is found by the
/// add-and-subtract of 1.5 × 2^23, which rounds the same way everywhere, rather than a conversion instruction.</para>
/// </remarks>
internal static class Reproducible
{
    /// <summary>The logical lanes of every reduction: element i goes to lane i mod 16.</summary>
    public const int Lanes = 16;

    // ------------------------------------------------------------------------------------------ reductions

    /// <summary>Σ x[i], over 16 logical lanes.</summary>
    public static float Sum(ReadOnlySpan<float> x) => Reduce<Plain>(x, x);

    /// <summary>Σ x[i] y[i] (each product rounded, then added), over 16 logical lanes.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Reproducible.Dot: x has {x.Length} elements and y {y.Length}; they must be as long.");
        }
        return Reduce<Product>(x, y);
    }

    /// <summary>Σ x[i]², over 16 logical lanes.</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x) => Reduce<Product>(x, x);

    /// <summary>Adds the 16 lane totals by a fixed tree: lane j += lane j + 8, then + 4, + 2, + 1.</summary>
    public static float CombineLanes(Span<float> lanes)
    {
        for (var width = Lanes / 2; width >= 1; width /= 2)
        {
            for (var j = 0; j < width; j++)
            {
                lanes[j] += lanes[j + width];
            }
        }
        return lanes[0];
    }

    private interface ITerm
    {
        static abstract float Of(float x, float y);
        static abstract Vector128<float> Of(Vector128<float> x, Vector128<float> y);
        static abstract Vector256<float> Of(Vector256<float> x, Vector256<float> y);
    }

    private readonly struct Plain : ITerm
    {
        public static float Of(float x, float y) => x;
        public static Vector128<float> Of(Vector128<float> x, Vector128<float> y) => x;
        public static Vector256<float> Of(Vector256<float> x, Vector256<float> y) => x;
    }

    private readonly struct Product : ITerm
    {
        public static float Of(float x, float y) => x * y;
        public static Vector128<float> Of(Vector128<float> x, Vector128<float> y) => x * y;
        public static Vector256<float> Of(Vector256<float> x, Vector256<float> y) => x * y;
    }

    private static float Reduce<TTerm>(ReadOnlySpan<float> x, ReadOnlySpan<float> y) where TTerm : ITerm
    {
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var py = ref MemoryMarshal.GetReference(y);
        var n = (nuint)x.Length;
        nuint i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> lanes0To7 = default, lanes8To15 = default;
            for (; i + Lanes <= n; i += Lanes)
            {
                lanes0To7 += TTerm.Of(Vector256.LoadUnsafe(ref px, i), Vector256.LoadUnsafe(ref py, i));
                lanes8To15 += TTerm.Of(Vector256.LoadUnsafe(ref px, i + 8), Vector256.LoadUnsafe(ref py, i + 8));
            }
            lanes0To7.CopyTo(lanes);
            lanes8To15.CopyTo(lanes[8..]);
        }
        else
        {
            Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i + Lanes <= n; i += Lanes)
            {
                a0 += TTerm.Of(Vector128.LoadUnsafe(ref px, i), Vector128.LoadUnsafe(ref py, i));
                a1 += TTerm.Of(Vector128.LoadUnsafe(ref px, i + 4), Vector128.LoadUnsafe(ref py, i + 4));
                a2 += TTerm.Of(Vector128.LoadUnsafe(ref px, i + 8), Vector128.LoadUnsafe(ref py, i + 8));
                a3 += TTerm.Of(Vector128.LoadUnsafe(ref px, i + 12), Vector128.LoadUnsafe(ref py, i + 12));
            }
            a0.CopyTo(lanes);
            a1.CopyTo(lanes[4..]);
            a2.CopyTo(lanes[8..]);
            a3.CopyTo(lanes[12..]);
        }
        for (; i < n; i++)
        {
            lanes[(int)(i % Lanes)] += TTerm.Of(Unsafe.Add(ref px, i), Unsafe.Add(ref py, i));
        }
        return CombineLanes(lanes);
    }

    // ------------------------------------------------------------------------------------------ elementwise

    /// <summary>destination[i] = e^x[i], within about one ulp; 0 below −103.97, +∞ above 88.72.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination) => Map<ExpFunction>(x, destination);

    /// <summary>destination[i] = ln x[i], within about one ulp (−∞ at 0, NaN below).</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination) => Map<LogFunction>(x, destination);

    /// <summary>destination[i] = ln(1 + x[i]), accurate for small x (where 1 + x rounds).</summary>
    public static void LogP1(ReadOnlySpan<float> x, Span<float> destination) => Map<LogP1Function>(x, destination);

    /// <summary>destination[i] = 1 / (1 + e^−x[i]).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination) => Map<SigmoidFunction>(x, destination);

    /// <summary>destination[i] = tanh x[i], within a few ulps.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination) => Map<TanhFunction>(x, destination);

    /// <summary>destination[i] = ln(1 + e^x[i]) = max(x, 0) + ln(1 + e^−|x|), with no overflow.</summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> destination) => Map<SoftplusFunction>(x, destination);

    /// <summary>e^x, the same bits as one lane of <see cref="Exp(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static float Exp(float x) => Exp(new Vector<float>(x))[0];

    /// <summary>ln x, the same bits as one lane of <see cref="Log(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static float Log(float x) => Log(new Vector<float>(x))[0];

    /// <summary>ln(1 + x), the same bits as one lane of <see cref="LogP1(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static float LogP1(float x) => LogP1(new Vector<float>(x))[0];

    /// <summary>1 / (1 + e^−x), the same bits as one lane of <see cref="Sigmoid(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static float Sigmoid(float x) => Sigmoid(new Vector<float>(x))[0];

    private interface IFunction
    {
        static abstract Vector<float> Of(Vector<float> x);
    }

    private readonly struct ExpFunction : IFunction { public static Vector<float> Of(Vector<float> x) => Exp(x); }

    private readonly struct LogFunction : IFunction { public static Vector<float> Of(Vector<float> x) => Log(x); }

    private readonly struct LogP1Function : IFunction { public static Vector<float> Of(Vector<float> x) => LogP1(x); }

    private readonly struct SigmoidFunction : IFunction { public static Vector<float> Of(Vector<float> x) => Sigmoid(x); }

    private readonly struct TanhFunction : IFunction { public static Vector<float> Of(Vector<float> x) => Tanh(x); }

    private readonly struct SoftplusFunction : IFunction { public static Vector<float> Of(Vector<float> x) => Softplus(x); }

    /// <summary>Whole vectors, then the tail as one zero-padded vector: every element is computed by the same lane code.
    /// <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    private static void Map<TFunction>(ReadOnlySpan<float> x, Span<float> destination) where TFunction : IFunction
    {
        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"Reproducible: the destination has {destination.Length} elements, fewer than the input's {x.Length}.", nameof(destination));
        }
        var width = Vector<float>.Count;
        ref var source = ref MemoryMarshal.GetReference(x);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)x.Length;
        nuint i = 0;
        for (; i + (nuint)width <= n; i += (nuint)width)
        {
            TFunction.Of(Vector.LoadUnsafe(ref source, i)).StoreUnsafe(ref target, i);
        }
        if (i < n)
        {
            Span<float> padded = stackalloc float[width];
            padded.Clear();
            var tail = (int)(n - i);
            x.Slice((int)i, tail).CopyTo(padded);
            TFunction.Of(new Vector<float>(padded)).CopyTo(padded);
            padded[..tail].CopyTo(destination.Slice((int)i, tail));
        }
    }

    // ---- e^x. x = k ln 2 + r with k the nearest integer to x / ln 2 and |r| <= ln 2 / 2, e^x = 2^k e^r. ln 2 is split
    // in two (Cody and Waite) so k ln2High is exact and r keeps its low bits; e^r is Cephes' degree-6 polynomial for
    // expf (relative error about 1e-7); 2^k is put into exponent bits in two halves so that results which are
    // subnormal (k down to −150) round once, like any product, and results past the largest float become +∞.

    private const float ExpMin = -104f;                 // e^−104 rounds to 0; keeps k >= −150
    private const float ExpMax = 89f;                   // e^89 overflows; keeps k <= 128
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;         // 9 significant bits: k * Ln2High is exact for |k| < 2^15
    private const float Ln2Low = -2.12194440e-4f;
    private const float RoundingShift = 12582912f;      // 1.5 * 2^23: x + shift rounds x to an integer, to nearest even
    private const int RoundingShiftBits = 0x4B400000;   // its bit pattern; (x + shift) bits - this = that integer
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /// <summary>e^x in every lane (see the comment above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        // Comparisons with NaN are false, so a NaN passes both clamps and poisons the polynomial: e^NaN = NaN.
        x = Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<float>(ExpMax)), new Vector<float>(ExpMax), x);
        x = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(ExpMin)), new Vector<float>(ExpMin), x);
        var shifted = x * new Vector<float>(Log2E) + new Vector<float>(RoundingShift);
        var kf = shifted - new Vector<float>(RoundingShift);
        var k = Vector.AsVectorInt32(shifted) - new Vector<int>(RoundingShiftBits);
        var r = (x - kf * new Vector<float>(Ln2High)) - kf * new Vector<float>(Ln2Low);
        var y = new Vector<float>(P0) * r + new Vector<float>(P1);
        y = y * r + new Vector<float>(P2);
        y = y * r + new Vector<float>(P3);
        y = y * r + new Vector<float>(P4);
        y = y * r + new Vector<float>(P5);
        y = (y * (r * r) + r) + Vector<float>.One;
        var kHalf = Vector.ShiftRightArithmetic(k, 1);
        return y * PowerOfTwo(kHalf) * PowerOfTwo(k - kHalf);
    }

    /// <summary>2^k for k in [−126, 127], from the exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> PowerOfTwo(Vector<int> k) =>
        Vector.AsVectorSingle(Vector.ShiftLeft(k + new Vector<int>(127), 23));

    // ---- ln x. x = m 2^k with m in [√½, √2), f = m − 1, s = f / (2 + f); ln(1 + f) = 2 atanh s = f − f²/2 + s (f²/2 + R(s²))
    // with fdlibm's degree-4 minimax R for single precision (error below one ulp), and k ln 2 added in two parts.

    private const float LogLn2High = 6.9313812256e-01f;  // 0x3f317180: k * LogLn2High exact for |k| < 2^8
    private const float LogLn2Low = 9.0580006145e-06f;   // 0x3717f7d1
    private const float Lg1 = 0.666666626930236816f, Lg2 = 0.400009721517562866f;
    private const float Lg3 = 0.284987866878509521f, Lg4 = 0.242790788412094116f;
    private const int SqrtHalfBits = 0x3f3504f3;          // √½ as a float's bits
    private const float SmallestNormal = 1.17549435e-38f; // 2^−126
    private const float TwoTo23 = 8388608f;

    /// <summary>ln x in every lane (see the comment above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x)
    {
        // Subnormals are scaled into the normal range first; their exponent is corrected by 23 below.
        var subnormal = Vector.LessThan(x, new Vector<float>(SmallestNormal));
        var scaled = Vector.ConditionalSelect(subnormal, x * new Vector<float>(TwoTo23), x);
        var bits = Vector.AsVectorInt32(scaled) + new Vector<int>(0x3f800000 - SqrtHalfBits);
        var k = Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(127)
            - (subnormal & new Vector<int>(23));
        var m = Vector.AsVectorSingle((bits & new Vector<int>(0x007fffff)) + new Vector<int>(SqrtHalfBits));
        var f = m - Vector<float>.One;
        var s = f / (new Vector<float>(2f) + f);
        var z = s * s;
        var w = z * z;
        var r = z * (new Vector<float>(Lg1) + w * new Vector<float>(Lg3)) + w * (new Vector<float>(Lg2) + w * new Vector<float>(Lg4));
        var halfSquare = new Vector<float>(0.5f) * f * f;
        var kf = Vector.ConvertToSingle(k);
        var result = kf * new Vector<float>(LogLn2High)
            - ((halfSquare - (s * (halfSquare + r) + kf * new Vector<float>(LogLn2Low))) - f);
        // The bit manipulation is meaningless outside (0, ∞): ln 0 = −∞, ln(negative) = NaN, ln ∞ = ∞, ln NaN = NaN.
        result = Vector.ConditionalSelect(Vector.Equals(x, Vector<float>.Zero), new Vector<float>(float.NegativeInfinity), result);
        result = Vector.ConditionalSelect(Vector.Equals(x, new Vector<float>(float.PositiveInfinity)), x, result);
        var invalid = Vector.LessThan(x, Vector<float>.Zero) | ~Vector.Equals(x, x);
        return Vector.ConditionalSelect(invalid, new Vector<float>(float.NaN), result);
    }

    /// <summary>ln(1 + x) in every lane: ln u − ((u − 1) − x) / u with u = 1 + x corrects the rounding of u (x itself
    /// where u rounds to 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LogP1(Vector<float> x)
    {
        var u = Vector<float>.One + x;
        var roundingError = (u - Vector<float>.One) - x;
        // Only an inexact u needs the correction; skipping it otherwise keeps ln(1 + (−1)) = −∞ and ln(1 + ∞) = ∞.
        var correction = Vector.ConditionalSelect(Vector.Equals(roundingError, Vector<float>.Zero), Vector<float>.Zero, roundingError / u);
        var result = Vector.ConditionalSelect(Vector.Equals(u, Vector<float>.One), x, Log(u) - correction);
        return Vector.ConditionalSelect(Vector.Equals(x, new Vector<float>(float.PositiveInfinity)), x, result);
    }

    /// <summary>1 / (1 + e^−x) in every lane, from e = e^−|x| (which cannot overflow): 1 / (1 + e) for x &gt;= 0 and
    /// e / (1 + e) below, so far negative x keeps its relative accuracy down to the subnormals instead of becoming 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x)
    {
        var e = Exp(-Vector.Abs(x));
        var positive = Vector<float>.One / (Vector<float>.One + e);
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), e * positive, positive);
    }

    /// <summary>max(x, 0) + ln(1 + e^−|x|) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x)
    {
        var positivePart = Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, Vector<float>.Zero);
        return positivePart + LogP1(Exp(-Vector.Abs(x)));
    }

    // ---- tanh x = sign(x) tanh |x|. For |x| < ½ the Taylor series to x^15 (the next term is below 1e-8 relative);
    // above, 1 − 2 / (e^2|x| + 1), whose cancellation costs at most a couple of ulps there.

    private const float T3 = -1f / 3f, T5 = 2f / 15f, T7 = -17f / 315f, T9 = 62f / 2835f;
    private const float T11 = -1382f / 155925f, T13 = 21844f / 6081075f, T15 = -929569f / 638512875f;

    /// <summary>tanh x in every lane (see the comment above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        var a = Vector.Abs(x);
        var z = a * a;
        var series = new Vector<float>(T15) * z + new Vector<float>(T13);
        series = series * z + new Vector<float>(T11);
        series = series * z + new Vector<float>(T9);
        series = series * z + new Vector<float>(T7);
        series = series * z + new Vector<float>(T5);
        series = series * z + new Vector<float>(T3);
        var small = a + a * z * series;
        var large = Vector<float>.One - new Vector<float>(2f) / (Exp(a + a) + Vector<float>.One);
        var magnitude = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>(0.5f)), small, large);
        var sign = Vector.AsVectorInt32(x) & new Vector<int>(int.MinValue);
        return Vector.AsVectorSingle(Vector.AsVectorInt32(magnitude) | sign);
    }
}
