using System.Numerics;
using System.Runtime.CompilerServices;
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
    /// <summary>a × b + c with one rounding, in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? Vector.FusedMultiplyAdd(a, b, c) : Emulated(a, b, c);

    /// <summary>The double-precision emulation (see the remarks), used where the hardware has no fused multiply-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Emulated(Vector<float> a, Vector<float> b, Vector<float> c)
    {
        Vector.Widen(a, out var aLow, out var aHigh);
        Vector.Widen(b, out var bLow, out var bHigh);
        Vector.Widen(c, out var cLow, out var cHigh);
        return Vector.Narrow(SumRoundedToOdd(aLow * bLow, cLow), SumRoundedToOdd(aHigh * bHigh, cHigh));
    }

    /// <summary>p + c rounded to odd: the nearest double s, or, when s is inexact with an even last bit, its neighbour on
    /// the side of the exact sum (which then has an odd last bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> SumRoundedToOdd(Vector<double> p, Vector<double> c)
    {
        var s = p + c;
        // TwoSum: error = (p + c) − s exactly.
        var cPart = s - p;
        var pPart = s - cPart;
        var error = (p - pPart) + (c - cPart);
        var bits = Vector.AsVectorInt64(s);
        var inexactEven = ~Vector.Equals(error, Vector<double>.Zero)
            & Vector.Equals(bits & Vector<long>.One, Vector<long>.Zero)
            & Vector.AsVectorInt64(Vector.LessThan(Vector.Abs(s), new Vector<double>(double.PositiveInfinity)));
        // Toward the exact sum: one ulp up in magnitude when the error has the sign of s, else one down.
        var sameSign = Vector.GreaterThanOrEqual(Vector.AsVectorInt64(error) ^ bits, Vector<long>.Zero);
        var step = Vector.ConditionalSelect(sameSign, Vector<long>.One, -Vector<long>.One);
        return Vector.AsVectorDouble(bits + (step & inexactEven));
    }
}
