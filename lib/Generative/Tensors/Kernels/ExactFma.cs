using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Generative.Tensors.Kernels;

/// <summary>
/// a × b + c rounded once, in every lane, on every processor: the hardware's fused multiply-add where it has one (x64
/// with FMA3, ARM64), and otherwise an exact emulation in double precision, so the portable GEMM kernel gives the AVX
/// kernels' bits on an x64 without FMA (pre-2013 processors, Atom-class laptops, or <c>DOTNET_EnableAVX2=0</c>).
/// </summary>
/// <remarks>
/// The emulation: a × b of two floats is exact in double (24 + 24 bits &lt; 53). The sum p + c is computed in double
/// with <i>round-to-odd</i> (the rounded sum s, and when Knuth's TwoSum says s is inexact and its last bit is even, s
/// moved one ulp toward the exact sum), and then rounded to float. Rounding to odd with at least two extra bits makes
/// that second rounding give the correctly rounded result (Boldo and Melquiond, "Emulation of FMA and
/// correctly-rounded sums: proved algorithms using rounding to odd", IEEE Trans. Computers 2008). .NET's own
/// fallback for <see cref="Vector.FusedMultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/> calls the C
/// library's fmaf once per element, about eight times slower than this.
/// </remarks>
internal static class ExactFma
{
    /// <summary>a × b + c with one rounding, in every lane; the emulation, where needed, is a call (see
    /// <see cref="EmulatedOutOfLine"/>), which suits kernels with many small helpers to inline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : EmulatedOutOfLine(a, b, c);

    /// <summary>a × b + c with one rounding, in every lane of a <see cref="Vector{T}"/> (which is 128 bits wide on every
    /// processor without FMA: .NET makes it 256 bits only with AVX2, which comes with FMA3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
        Vector<float>.Count == Vector128<float>.Count
            ? (Fma.IsSupported || AdvSimd.IsSupported
                ? Vector128.FusedMultiplyAdd(a.AsVector128(), b.AsVector128(), c.AsVector128())
                : Emulated(a.AsVector128(), b.AsVector128(), c.AsVector128())).AsVector()
            : Vector.FusedMultiplyAdd(a, b, c);

    /// <summary><see cref="Emulated"/> as a call: its two dozen operations inlined into a kernel with many small helpers
    /// (the reproducible elementary functions) use up the JIT's inlining budget, which then leaves the helpers as calls.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> EmulatedOutOfLine(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Emulated(a, b, c);

    /// <summary>The double-precision emulation (see the remarks), used where the hardware has no fused multiply-add;
    /// inlined into the GEMM micro-kernel, whose loop holds nothing else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Emulated(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.Narrow(
            SumRoundedToOdd(Vector128.WidenLower(a) * Vector128.WidenLower(b), Vector128.WidenLower(c)),
            SumRoundedToOdd(Vector128.WidenUpper(a) * Vector128.WidenUpper(b), Vector128.WidenUpper(c)));

    /// <summary>p + c rounded to odd: the nearest double s, or, when s is inexact with an even last bit, its neighbour on
    /// the side of the exact sum (which then has an odd last bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> SumRoundedToOdd(Vector128<double> p, Vector128<double> c)
    {
        var s = p + c;
        // TwoSum: error = (p + c) − s exactly.
        var cPart = s - p;
        var pPart = s - cPart;
        var error = (p - pPart) + (c - cPart);
        var bits = s.AsInt64();
        var inexactEven = ~Vector128.Equals(error, Vector128<double>.Zero).AsInt64()
            & Vector128.Equals(bits & Vector128<long>.One, Vector128<long>.Zero)
            & Vector128.LessThan(Vector128.Abs(s), Vector128.Create(double.PositiveInfinity)).AsInt64();
        // Toward the exact sum: one ulp up in magnitude when the error has the sign of s, else one down.
        var sameSign = Vector128.GreaterThanOrEqual(error.AsInt64() ^ bits, Vector128<long>.Zero);
        var step = Vector128.ConditionalSelect(sameSign, Vector128<long>.One, Vector128<long>.AllBitsSet);
        return (bits + (step & inexactEven)).AsDouble();
    }
}
