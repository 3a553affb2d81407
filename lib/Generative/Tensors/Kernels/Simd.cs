using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Generative.Tensors.Kernels;

/// <summary>
/// The vector operations the reproducible kernels are written in, at the width a processor runs best:
/// <see cref="Simd512"/> (16 floats, AVX-512), <see cref="Simd256"/> (8, AVX2) or <see cref="Simd128"/> (4, SSE and
/// NEON); <see cref="Simd"/> picks one. A kernel written once against this interface is compiled by the JIT for each
/// width, and since every operation here acts on each lane alone, all give the same bits in every lane. Every member
/// is forced inline: a SIMD shim must cost nothing inside a kernel's loop (a <see cref="Vector{T}"/>-based version of
/// it was left as calls by the JIT and ran NADE twenty times slower). (.NET 10 keeps its own
/// <c>ISimdVector&lt;TSelf, T&gt;</c> internal.) Integer operations act on the lanes' bit patterns as 32-bit integers.
/// </summary>
internal unsafe interface ISimd<TSelf> where TSelf : unmanaged, ISimd<TSelf>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TSelf Create(float value);

    /// <summary>Every lane holds the bit pattern <paramref name="bits"/>.</summary>
    static abstract TSelf FromBits(int bits);

    static abstract TSelf Load(float* source);

    void Store(float* destination);

    static abstract TSelf operator +(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x);
    static abstract TSelf operator *(TSelf x, TSelf y);
    static abstract TSelf operator /(TSelf x, TSelf y);
    static abstract TSelf operator &(TSelf x, TSelf y);
    static abstract TSelf operator |(TSelf x, TSelf y);
    static abstract TSelf operator ~(TSelf x);

    /// <summary>a × b + c rounded once (the hardware instruction, or <see cref="ExactFma"/>'s exact emulation).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf Abs(TSelf x);

    /// <summary>IEEE 754-2019 maximum and minimum (a NaN in either gives NaN; +0 &gt; −0): .NET defines them so on every platform.</summary>
    static abstract TSelf Max(TSelf x, TSelf y);
    static abstract TSelf Min(TSelf x, TSelf y);

    /// <summary>True when any lane of <paramref name="mask"/> (a comparison's result) is all ones.</summary>
    static abstract bool Any(TSelf mask);

    /// <summary>All ones in the lanes where x &lt; y (false for NaN), zeros elsewhere; likewise the others.</summary>
    static abstract TSelf LessThan(TSelf x, TSelf y);
    static abstract TSelf GreaterThan(TSelf x, TSelf y);
    static abstract TSelf EqualTo(TSelf x, TSelf y);

    /// <summary>whenTrue where <paramref name="mask"/>'s lane is all ones, else whenFalse.</summary>
    static abstract TSelf Select(TSelf mask, TSelf whenTrue, TSelf whenFalse);

    static abstract TSelf IntegerAdd(TSelf x, TSelf y);
    static abstract TSelf IntegerSubtract(TSelf x, TSelf y);
    static abstract TSelf ShiftLeft(TSelf x, int count);
    static abstract TSelf ShiftRightArithmetic(TSelf x, int count);

    /// <summary>Each lane's integer converted to the float of that value (exact below 2^24).</summary>
    static abstract TSelf IntegerToSingle(TSelf x);
}

/// <summary><see cref="Vector256{T}"/> of float as an <see cref="ISimd{TSelf}"/>; used where AVX2 is the widest
/// accelerated width (.NET accelerates Vector256 only with AVX2, which comes with FMA3).</summary>
internal readonly unsafe struct Simd256(Vector256<float> value) : ISimd<Simd256>
{
    public Vector256<float> Value { get; } = value;

    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Create(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 FromBits(int bits) => new(Vector256.Create(bits).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Load(float* source) => new(Vector256.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination) => Value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator +(Simd256 x, Simd256 y) => new(x.Value + y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 x, Simd256 y) => new(x.Value - y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 x) => new(-x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator *(Simd256 x, Simd256 y) => new(x.Value * y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator /(Simd256 x, Simd256 y) => new(x.Value / y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator &(Simd256 x, Simd256 y) => new(x.Value & y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator |(Simd256 x, Simd256 y) => new(x.Value | y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator ~(Simd256 x) => new(~x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MultiplyAdd(Simd256 a, Simd256 b, Simd256 c) => new(Vector256.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Abs(Simd256 x) => new(Vector256.Abs(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Max(Simd256 x, Simd256 y) => new(Vector256.Max(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Min(Simd256 x, Simd256 y) => new(Vector256.Min(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Simd256 mask) => mask.Value.ExtractMostSignificantBits() != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 LessThan(Simd256 x, Simd256 y) => new(Vector256.LessThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 GreaterThan(Simd256 x, Simd256 y) => new(Vector256.GreaterThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 EqualTo(Simd256 x, Simd256 y) => new(Vector256.Equals(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Select(Simd256 mask, Simd256 whenTrue, Simd256 whenFalse) => new(Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 IntegerAdd(Simd256 x, Simd256 y) => new((x.Value.AsInt32() + y.Value.AsInt32()).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 IntegerSubtract(Simd256 x, Simd256 y) => new((x.Value.AsInt32() - y.Value.AsInt32()).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 ShiftLeft(Simd256 x, int count) => new(Vector256.ShiftLeft(x.Value.AsInt32(), count).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 ShiftRightArithmetic(Simd256 x, int count) => new(Vector256.ShiftRightArithmetic(x.Value.AsInt32(), count).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 IntegerToSingle(Simd256 x) => new(Vector256.ConvertToSingle(x.Value.AsInt32()));
}

/// <summary><see cref="Vector128{T}"/> of float as an <see cref="ISimd{TSelf}"/>: SSE, NEON, or software where neither
/// exists; fused multiply-add from the hardware or <see cref="ExactFma"/>.</summary>
internal readonly unsafe struct Simd128(Vector128<float> value) : ISimd<Simd128>
{
    public Vector128<float> Value { get; } = value;

    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Create(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 FromBits(int bits) => new(Vector128.Create(bits).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Load(float* source) => new(Vector128.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination) => Value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator +(Simd128 x, Simd128 y) => new(x.Value + y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 x, Simd128 y) => new(x.Value - y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 x) => new(-x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator *(Simd128 x, Simd128 y) => new(x.Value * y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator /(Simd128 x, Simd128 y) => new(x.Value / y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator &(Simd128 x, Simd128 y) => new(x.Value & y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator |(Simd128 x, Simd128 y) => new(x.Value | y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator ~(Simd128 x) => new(~x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 MultiplyAdd(Simd128 a, Simd128 b, Simd128 c) => new(ExactFma.MultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Abs(Simd128 x) => new(Vector128.Abs(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Max(Simd128 x, Simd128 y) => new(Vector128.Max(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Min(Simd128 x, Simd128 y) => new(Vector128.Min(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Simd128 mask) => mask.Value.ExtractMostSignificantBits() != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 LessThan(Simd128 x, Simd128 y) => new(Vector128.LessThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 GreaterThan(Simd128 x, Simd128 y) => new(Vector128.GreaterThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 EqualTo(Simd128 x, Simd128 y) => new(Vector128.Equals(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Select(Simd128 mask, Simd128 whenTrue, Simd128 whenFalse) => new(Vector128.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 IntegerAdd(Simd128 x, Simd128 y) => new((x.Value.AsInt32() + y.Value.AsInt32()).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 IntegerSubtract(Simd128 x, Simd128 y) => new((x.Value.AsInt32() - y.Value.AsInt32()).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 ShiftLeft(Simd128 x, int count) => new(Vector128.ShiftLeft(x.Value.AsInt32(), count).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 ShiftRightArithmetic(Simd128 x, int count) => new(Vector128.ShiftRightArithmetic(x.Value.AsInt32(), count).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 IntegerToSingle(Simd128 x) => new(Vector128.ConvertToSingle(x.Value.AsInt32()));
}

/// <summary><see cref="Vector512{T}"/> of float as an <see cref="ISimd{TSelf}"/>; only used where
/// <see cref="Vector512.IsHardwareAccelerated"/> (AVX-512, which always has fused multiply-add).</summary>
internal readonly unsafe struct Simd512(Vector512<float> value) : ISimd<Simd512>
{
    public Vector512<float> Value { get; } = value;

    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Create(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 FromBits(int bits) => new(Vector512.Create(bits).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(float* source) => new(Vector512.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination) => Value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator +(Simd512 x, Simd512 y) => new(x.Value + y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 x, Simd512 y) => new(x.Value - y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 x) => new(-x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator *(Simd512 x, Simd512 y) => new(x.Value * y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator /(Simd512 x, Simd512 y) => new(x.Value / y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator &(Simd512 x, Simd512 y) => new(x.Value & y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator |(Simd512 x, Simd512 y) => new(x.Value | y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator ~(Simd512 x) => new(~x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MultiplyAdd(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Abs(Simd512 x) => new(Vector512.Abs(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Max(Simd512 x, Simd512 y) => new(Vector512.Max(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Min(Simd512 x, Simd512 y) => new(Vector512.Min(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Simd512 mask) => mask.Value.ExtractMostSignificantBits() != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 LessThan(Simd512 x, Simd512 y) => new(Vector512.LessThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 GreaterThan(Simd512 x, Simd512 y) => new(Vector512.GreaterThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 EqualTo(Simd512 x, Simd512 y) => new(Vector512.Equals(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Select(Simd512 mask, Simd512 whenTrue, Simd512 whenFalse) => new(Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 IntegerAdd(Simd512 x, Simd512 y) => new((x.Value.AsInt32() + y.Value.AsInt32()).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 IntegerSubtract(Simd512 x, Simd512 y) => new((x.Value.AsInt32() - y.Value.AsInt32()).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 ShiftLeft(Simd512 x, int count) => new(Vector512.ShiftLeft(x.Value.AsInt32(), count).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 ShiftRightArithmetic(Simd512 x, int count) => new(Vector512.ShiftRightArithmetic(x.Value.AsInt32(), count).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 IntegerToSingle(Simd512 x) => new(Vector512.ConvertToSingle(x.Value.AsInt32()));
}

/// <summary>Which <see cref="ISimd{TSelf}"/> width this processor runs.</summary>
internal static class Simd
{
    /// <summary>16 floats per vector (AVX-512).</summary>
    public static bool Use512 => Vector512.IsHardwareAccelerated;

    /// <summary>8 floats per vector (AVX2), when AVX-512 is not available.</summary>
    public static bool Use256 => !Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated;
}
