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
/// <para>Elementary functions are written once against <see cref="ISimd{TSelf}"/> and evaluate the same polynomial in
/// every lane, at 16 floats on AVX-512, 8 on AVX2 and 4 on SSE and NEON, with fused
/// multiply-adds that round once everywhere (<see cref="ExactFma"/> emulates them exactly where x64 lacks FMA). A tail
/// shorter than one vector is computed as a whole padded vector, so a value does not depend on where in a span it
/// sits. The integer part of exp's argument is found by the add-and-subtract of 1.5 × 2^23, which rounds the same way
/// everywhere, rather than a conversion instruction.</para>
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

    /// <summary>Adds the 16 lane totals by a fixed tree: lane j += lane j + 8, then + 4, + 2, + 1 (in 128-bit vectors,
    /// which every processor has: each step is the same lane-by-lane additions as the scalar tree).</summary>
    public static float CombineLanes(Span<float> lanes)
    {
        if (lanes.Length != Lanes)
        {
            throw new ArgumentException($"Reproducible.CombineLanes: {lanes.Length} lanes given, {Lanes} expected.", nameof(lanes));
        }
        ref var first = ref MemoryMarshal.GetReference(lanes);
        var lanes0To3 = Vector128.LoadUnsafe(ref first) + Vector128.LoadUnsafe(ref first, 8);
        var lanes4To7 = Vector128.LoadUnsafe(ref first, 4) + Vector128.LoadUnsafe(ref first, 12);
        var four = lanes0To3 + lanes4To7;
        var two = four + Vector128.Shuffle(four, Vector128.Create(2, 3, 0, 1));
        return two.GetElement(0) + two.GetElement(1);
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
    public static float Exp(float x) => Exp(Simd128.Create(x)).Value[0];

    /// <summary>ln x, the same bits as one lane of <see cref="Log(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static float Log(float x) => Log(Simd128.Create(x)).Value[0];

    /// <summary>ln(1 + x), the same bits as one lane of <see cref="LogP1(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static float LogP1(float x) => LogP1(Simd128.Create(x)).Value[0];

    /// <summary>1 / (1 + e^−x), the same bits as one lane of <see cref="Sigmoid(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static float Sigmoid(float x) => Sigmoid(Simd128.Create(x)).Value[0];

    private interface IFunction
    {
        static abstract T Of<T>(T x) where T : unmanaged, ISimd<T>;
    }

    private readonly struct ExpFunction : IFunction { public static T Of<T>(T x) where T : unmanaged, ISimd<T> => Exp(x); }

    private readonly struct LogFunction : IFunction { public static T Of<T>(T x) where T : unmanaged, ISimd<T> => Log(x); }

    private readonly struct LogP1Function : IFunction { public static T Of<T>(T x) where T : unmanaged, ISimd<T> => LogP1(x); }

    private readonly struct SigmoidFunction : IFunction { public static T Of<T>(T x) where T : unmanaged, ISimd<T> => Sigmoid(x); }

    private readonly struct TanhFunction : IFunction { public static T Of<T>(T x) where T : unmanaged, ISimd<T> => Tanh(x); }

    private readonly struct SoftplusFunction : IFunction { public static T Of<T>(T x) where T : unmanaged, ISimd<T> => Softplus(x); }

    /// <summary>Whole vectors of the widest accelerated width, then the tail as one zero-padded vector: every element is
    /// computed by the same lane code. <paramref name="destination"/> may be <paramref name="x"/> itself.</summary>
    private static void Map<TFunction>(ReadOnlySpan<float> x, Span<float> destination) where TFunction : IFunction
    {
        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"Reproducible: the destination has {destination.Length} elements, fewer than the input's {x.Length}.", nameof(destination));
        }
        if (Simd.Use512)
        {
            Map<TFunction, Simd512>(x, destination);
        }
        else if (Simd.Use256)
        {
            Map<TFunction, Simd256>(x, destination);
        }
        else
        {
            Map<TFunction, Simd128>(x, destination);
        }
    }

    private static unsafe void Map<TFunction, T>(ReadOnlySpan<float> x, Span<float> destination)
        where TFunction : IFunction where T : unmanaged, ISimd<T>
    {
        var width = T.Count;
        var n = x.Length;
        fixed (float* source = x)
        fixed (float* target = destination)
        {
            var i = 0;
            for (; i + width <= n; i += width)
            {
                TFunction.Of(T.Load(source + i)).Store(target + i);
            }
            if (i < n)
            {
                var padded = stackalloc float[width];
                new Span<float>(padded, width).Clear();
                x[i..].CopyTo(new Span<float>(padded, width));
                TFunction.Of(T.Load(padded)).Store(padded);
                new Span<float>(padded, n - i).CopyTo(destination[i..n]);
            }
        }
    }

    // ---- e^x. x = k ln 2 + r with k the nearest integer to x / ln 2 and |r| <= ln 2 / 2, e^x = 2^k e^r. ln 2 is split
    // in two (Cody and Waite) so k ln2High is exact and r keeps its low bits; e^r is Cephes' degree-6 polynomial for
    // expf (relative error about 1e-7) in fused multiply-adds; 2^k is put into exponent bits in two halves so that
    // results which are subnormal (k down to −150) round once, like any product, and results past the largest float
    // become +∞.

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
    public static T Exp<T>(T x) where T : unmanaged, ISimd<T>
    {
        // IEEE maximum and minimum keep a NaN, which then poisons the polynomial: e^NaN = NaN.
        x = T.Min(T.Max(x, T.Create(ExpMin)), T.Create(ExpMax));
        var shifted = T.MultiplyAdd(x, T.Create(Log2E), T.Create(RoundingShift));
        var kf = shifted - T.Create(RoundingShift);
        var k = T.IntegerSubtract(shifted, T.FromBits(RoundingShiftBits));
        var r = T.MultiplyAdd(kf, T.Create(-Ln2High), x);
        r = T.MultiplyAdd(kf, T.Create(-Ln2Low), r);
        var y = T.MultiplyAdd(T.Create(P0), r, T.Create(P1));
        y = T.MultiplyAdd(y, r, T.Create(P2));
        y = T.MultiplyAdd(y, r, T.Create(P3));
        y = T.MultiplyAdd(y, r, T.Create(P4));
        y = T.MultiplyAdd(y, r, T.Create(P5));
        y = T.MultiplyAdd(y, r * r, r + T.Create(1f));
        // y is in [0.7, 1.42], so y 2^k is y with k added to its exponent field while the result is a normal float,
        // which |x| <= 87 guarantees. Lanes beyond (and NaN, which fails the comparison) take two multiplications
        // instead, exact or rounding once into the subnormals or to ∞; for every other lane both ways give the same
        // bits, so the branch changes nothing.
        var result = T.IntegerAdd(y, T.ShiftLeft(k, 23));
        var outside = ~T.LessThan(T.Abs(x), T.Create(87f));
        if (T.Any(outside))
        {
            var kHalf = T.ShiftRightArithmetic(k, 1);
            result = T.Select(outside, y * PowerOfTwo(kHalf) * PowerOfTwo(T.IntegerSubtract(k, kHalf)), result);
        }
        return result;
    }

    /// <summary>2^k for integer lanes k in [−126, 127], from the exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T PowerOfTwo<T>(T k) where T : unmanaged, ISimd<T> => T.ShiftLeft(T.IntegerAdd(k, T.FromBits(127)), 23);

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
    public static T Log<T>(T x) where T : unmanaged, ISimd<T>
    {
        // Subnormals are scaled into the normal range first; their exponent is corrected by 23 below.
        var subnormal = T.LessThan(x, T.Create(SmallestNormal));
        var scaled = T.Select(subnormal, x * T.Create(TwoTo23), x);
        var bits = T.IntegerAdd(scaled, T.FromBits(0x3f800000 - SqrtHalfBits));
        var k = T.IntegerSubtract(T.IntegerSubtract(T.ShiftRightArithmetic(bits, 23), T.FromBits(127)), subnormal & T.FromBits(23));
        var m = T.IntegerAdd(bits & T.FromBits(0x007fffff), T.FromBits(SqrtHalfBits));
        var f = m - T.Create(1f);
        var s = f / (T.Create(2f) + f);
        var z = s * s;
        var w = z * z;
        var r = T.MultiplyAdd(z, T.MultiplyAdd(w, T.Create(Lg3), T.Create(Lg1)), w * T.MultiplyAdd(w, T.Create(Lg4), T.Create(Lg2)));
        var halfSquare = T.Create(0.5f) * f * f;
        var kf = T.IntegerToSingle(k);
        var result = kf * T.Create(LogLn2High)
            - ((halfSquare - T.MultiplyAdd(s, halfSquare + r, kf * T.Create(LogLn2Low))) - f);
        // The bit manipulation is meaningless outside (0, ∞): ln 0 = −∞, ln(negative) = NaN, ln ∞ = ∞, ln NaN = NaN.
        result = T.Select(T.EqualTo(x, T.Create(0f)), T.Create(float.NegativeInfinity), result);
        result = T.Select(T.EqualTo(x, T.Create(float.PositiveInfinity)), x, result);
        var invalid = T.LessThan(x, T.Create(0f)) | ~T.EqualTo(x, x);
        return T.Select(invalid, T.Create(float.NaN), result);
    }

    /// <summary>ln(1 + x) in every lane: ln u − ((u − 1) − x) / u with u = 1 + x corrects the rounding of u (x itself
    /// where u rounds to 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogP1<T>(T x) where T : unmanaged, ISimd<T>
    {
        var one = T.Create(1f);
        var u = one + x;
        var roundingError = (u - one) - x;
        // Only an inexact u needs the correction; skipping it otherwise keeps ln(1 + (−1)) = −∞ and ln(1 + ∞) = ∞.
        var correction = T.Select(T.EqualTo(roundingError, T.Create(0f)), T.Create(0f), roundingError / u);
        var result = T.Select(T.EqualTo(u, one), x, Log(u) - correction);
        return T.Select(T.EqualTo(x, T.Create(float.PositiveInfinity)), x, result);
    }

    /// <summary>1 / (1 + e^−x) in every lane: within a few ulps down to x = −88.7, below which e^−x overflows and the
    /// result is 0 (the exact value is a subnormal below 3e-39, where float has no relative accuracy left anyway).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T x) where T : unmanaged, ISimd<T> => T.Create(1f) / (T.Create(1f) + Exp(-x));

    /// <summary>max(x, 0) + ln(1 + e^−|x|) in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Softplus<T>(T x) where T : unmanaged, ISimd<T>
    {
        var positivePart = T.Select(T.GreaterThan(x, T.Create(0f)), x, T.Create(0f));
        return positivePart + LogP1(Exp(-T.Abs(x)));
    }

    // ---- tanh x = sign(x) tanh |x|. For |x| < ½ the Taylor series to x^15 (the next term is below 1e-8 relative);
    // above, 1 − 2 / (e^2|x| + 1), whose cancellation costs at most a couple of ulps there.

    private const float T3 = -1f / 3f, T5 = 2f / 15f, T7 = -17f / 315f, T9 = 62f / 2835f;
    private const float T11 = -1382f / 155925f, T13 = 21844f / 6081075f, T15 = -929569f / 638512875f;

    /// <summary>tanh x in every lane (see the comment above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T x) where T : unmanaged, ISimd<T>
    {
        var a = T.Abs(x);
        var z = a * a;
        var series = T.MultiplyAdd(T.Create(T15), z, T.Create(T13));
        series = T.MultiplyAdd(series, z, T.Create(T11));
        series = T.MultiplyAdd(series, z, T.Create(T9));
        series = T.MultiplyAdd(series, z, T.Create(T7));
        series = T.MultiplyAdd(series, z, T.Create(T5));
        series = T.MultiplyAdd(series, z, T.Create(T3));
        var small = T.MultiplyAdd(a * z, series, a);
        var one = T.Create(1f);
        var large = one - T.Create(2f) / (Exp(a + a) + one);
        var magnitude = T.Select(T.LessThan(a, T.Create(0.5f)), small, large);
        return magnitude | (x & T.FromBits(int.MinValue));
    }
}
