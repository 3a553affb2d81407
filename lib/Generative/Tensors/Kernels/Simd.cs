using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Generative.Tensors.Kernels;

/// <summary>
/// The vector operations the reproducible kernels are written in, over either width a processor runs best:
/// <see cref="SimdVector"/> (<see cref="Vector{T}"/>: 8 floats on AVX2, 4 on SSE and NEON) or <see cref="Simd512"/>
/// (16 floats on AVX-512). A kernel written once against this interface is compiled by the JIT for each width, and
/// since every operation here acts on each lane alone, both give the same bits in every lane. (.NET 10 keeps its own
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

/// <summary><see cref="Vector{T}"/> of float as an <see cref="ISimd{TSelf}"/>.</summary>
internal readonly unsafe struct SimdVector(Vector<float> value) : ISimd<SimdVector>
{
    public Vector<float> Value { get; } = value;

    public static int Count => Vector<float>.Count;
    public static SimdVector Create(float value) => new(new Vector<float>(value));
    public static SimdVector FromBits(int bits) => new(Vector.AsVectorSingle(new Vector<int>(bits)));
    public static SimdVector Load(float* source) => new(Vector.Load(source));
    public void Store(float* destination) => Value.Store(destination);
    public static SimdVector operator +(SimdVector x, SimdVector y) => new(x.Value + y.Value);
    public static SimdVector operator -(SimdVector x, SimdVector y) => new(x.Value - y.Value);
    public static SimdVector operator -(SimdVector x) => new(-x.Value);
    public static SimdVector operator *(SimdVector x, SimdVector y) => new(x.Value * y.Value);
    public static SimdVector operator /(SimdVector x, SimdVector y) => new(x.Value / y.Value);
    public static SimdVector operator &(SimdVector x, SimdVector y) => new(x.Value & y.Value);
    public static SimdVector operator |(SimdVector x, SimdVector y) => new(x.Value | y.Value);
    public static SimdVector operator ~(SimdVector x) => new(~x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdVector MultiplyAdd(SimdVector a, SimdVector b, SimdVector c) => new(ExactFma.MultiplyAdd(a.Value, b.Value, c.Value));
    public static SimdVector Abs(SimdVector x) => new(Vector.Abs(x.Value));
    public static SimdVector Max(SimdVector x, SimdVector y) => new(Vector.Max(x.Value, y.Value));
    public static SimdVector Min(SimdVector x, SimdVector y) => new(Vector.Min(x.Value, y.Value));
    public static bool Any(SimdVector mask) => !Vector.EqualsAll(Vector.AsVectorInt32(mask.Value), Vector<int>.Zero);
    public static SimdVector LessThan(SimdVector x, SimdVector y) => new(Vector.AsVectorSingle(Vector.LessThan(x.Value, y.Value)));
    public static SimdVector GreaterThan(SimdVector x, SimdVector y) => new(Vector.AsVectorSingle(Vector.GreaterThan(x.Value, y.Value)));
    public static SimdVector EqualTo(SimdVector x, SimdVector y) => new(Vector.AsVectorSingle(Vector.Equals(x.Value, y.Value)));
    public static SimdVector Select(SimdVector mask, SimdVector whenTrue, SimdVector whenFalse) =>
        new(Vector.ConditionalSelect(Vector.AsVectorInt32(mask.Value), whenTrue.Value, whenFalse.Value));
    public static SimdVector IntegerAdd(SimdVector x, SimdVector y) => new(Vector.AsVectorSingle(Vector.AsVectorInt32(x.Value) + Vector.AsVectorInt32(y.Value)));
    public static SimdVector IntegerSubtract(SimdVector x, SimdVector y) => new(Vector.AsVectorSingle(Vector.AsVectorInt32(x.Value) - Vector.AsVectorInt32(y.Value)));
    public static SimdVector ShiftLeft(SimdVector x, int count) => new(Vector.AsVectorSingle(Vector.ShiftLeft(Vector.AsVectorInt32(x.Value), count)));
    public static SimdVector ShiftRightArithmetic(SimdVector x, int count) => new(Vector.AsVectorSingle(Vector.ShiftRightArithmetic(Vector.AsVectorInt32(x.Value), count)));
    public static SimdVector IntegerToSingle(SimdVector x) => new(Vector.ConvertToSingle(Vector.AsVectorInt32(x.Value)));
}

/// <summary><see cref="Vector512{T}"/> of float as an <see cref="ISimd{TSelf}"/>; only used where
/// <see cref="Vector512.IsHardwareAccelerated"/> (AVX-512, which always has fused multiply-add).</summary>
internal readonly unsafe struct Simd512(Vector512<float> value) : ISimd<Simd512>
{
    public Vector512<float> Value { get; } = value;

    public static int Count => Vector512<float>.Count;
    public static Simd512 Create(float value) => new(Vector512.Create(value));
    public static Simd512 FromBits(int bits) => new(Vector512.Create(bits).AsSingle());
    public static Simd512 Load(float* source) => new(Vector512.Load(source));
    public void Store(float* destination) => Value.Store(destination);
    public static Simd512 operator +(Simd512 x, Simd512 y) => new(x.Value + y.Value);
    public static Simd512 operator -(Simd512 x, Simd512 y) => new(x.Value - y.Value);
    public static Simd512 operator -(Simd512 x) => new(-x.Value);
    public static Simd512 operator *(Simd512 x, Simd512 y) => new(x.Value * y.Value);
    public static Simd512 operator /(Simd512 x, Simd512 y) => new(x.Value / y.Value);
    public static Simd512 operator &(Simd512 x, Simd512 y) => new(x.Value & y.Value);
    public static Simd512 operator |(Simd512 x, Simd512 y) => new(x.Value | y.Value);
    public static Simd512 operator ~(Simd512 x) => new(~x.Value);
    public static Simd512 MultiplyAdd(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    public static Simd512 Abs(Simd512 x) => new(Vector512.Abs(x.Value));
    public static Simd512 Max(Simd512 x, Simd512 y) => new(Vector512.Max(x.Value, y.Value));
    public static Simd512 Min(Simd512 x, Simd512 y) => new(Vector512.Min(x.Value, y.Value));
    public static bool Any(Simd512 mask) => mask.Value.ExtractMostSignificantBits() != 0;
    public static Simd512 LessThan(Simd512 x, Simd512 y) => new(Vector512.LessThan(x.Value, y.Value));
    public static Simd512 GreaterThan(Simd512 x, Simd512 y) => new(Vector512.GreaterThan(x.Value, y.Value));
    public static Simd512 EqualTo(Simd512 x, Simd512 y) => new(Vector512.Equals(x.Value, y.Value));
    public static Simd512 Select(Simd512 mask, Simd512 whenTrue, Simd512 whenFalse) => new(Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    public static Simd512 IntegerAdd(Simd512 x, Simd512 y) => new((x.Value.AsInt32() + y.Value.AsInt32()).AsSingle());
    public static Simd512 IntegerSubtract(Simd512 x, Simd512 y) => new((x.Value.AsInt32() - y.Value.AsInt32()).AsSingle());
    public static Simd512 ShiftLeft(Simd512 x, int count) => new(Vector512.ShiftLeft(x.Value.AsInt32(), count).AsSingle());
    public static Simd512 ShiftRightArithmetic(Simd512 x, int count) => new(Vector512.ShiftRightArithmetic(x.Value.AsInt32(), count).AsSingle());
    public static Simd512 IntegerToSingle(Simd512 x) => new(Vector512.ConvertToSingle(x.Value.AsInt32()));
}
