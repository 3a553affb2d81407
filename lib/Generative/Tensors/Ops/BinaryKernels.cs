using System.Numerics.Tensors;

namespace Generative.Tensors;

/// <summary>
/// A binary elementwise operation on spans, in the three shapes broadcasting needs (span-span, span-scalar,
/// scalar-span). Implemented by structs and used as a generic argument, so the JIT specialises each caller and the
/// inner loops call <see cref="TensorPrimitives"/> directly: no delegate or virtual call per element or per row.
/// </summary>
internal interface IBinaryKernel
{
    /// <summary>destination[i] = f(x[i], y[i]).</summary>
    static abstract void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

    /// <summary>destination[i] = f(x[i], y).</summary>
    static abstract void Apply(ReadOnlySpan<float> x, float y, Span<float> destination);

    /// <summary>destination[i] = f(x, y[i]).</summary>
    static abstract void Apply(float x, ReadOnlySpan<float> y, Span<float> destination);
}

internal struct AddKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(y, x, destination);
}

internal struct SubtractKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
}

internal struct MultiplyKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(y, x, destination);
}

internal struct DivideKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
}

internal struct MaximumKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Max(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Max(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Max(y, x, destination);
}

internal struct MinimumKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Min(x, y, destination);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Min(x, y, destination);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Min(y, x, destination);
}

/// <summary>A predicate on two floats; comparisons write 1 where it holds and 0 elsewhere.</summary>
internal interface IComparison
{
    static abstract bool Test(float x, float y);
}

internal struct GreaterThan : IComparison { public static bool Test(float x, float y) => x > y; }
internal struct GreaterThanOrEqual : IComparison { public static bool Test(float x, float y) => x >= y; }
internal struct LessThan : IComparison { public static bool Test(float x, float y) => x < y; }
internal struct LessThanOrEqual : IComparison { public static bool Test(float x, float y) => x <= y; }
internal struct EqualTo : IComparison { public static bool Test(float x, float y) => x == y; }
internal struct NotEqualTo : IComparison { public static bool Test(float x, float y) => x != y; }

internal struct ComparisonKernel<TComparison> : IBinaryKernel
    where TComparison : IComparison
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TComparison.Test(x[i], y[i]) ? 1f : 0f;
        }
    }

    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TComparison.Test(x[i], y) ? 1f : 0f;
        }
    }

    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = TComparison.Test(x, y[i]) ? 1f : 0f;
        }
    }
}
