using Generative.Tensors.Kernels;
using System.Numerics;
using System.Numerics.Tensors;

namespace Generative.Tensors;

// Unary elementwise primitives. Each forward is one TensorPrimitives or Reproducible call (or one simple loop) over the contiguous
// input; each backward is one fused loop computing dx = g * f'(x), written from whichever of x and y = f(x) makes
// the derivative cheapest (exp: y; tanh: 1 - y^2; sigmoid: y (1 - y)).
public sealed partial class Tensor
{
    private delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

    // dx[i] = g[i] * f'(x[i]) given x, y = f(x) and g.
    private delegate void GradientMap(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx);

    /// <summary>-x. d/dx = -1.</summary>
    public Tensor Neg() => Map("Neg", static (x, y) => TensorPrimitives.Negate(x, y),
        static (_, _, g, dx) => TensorPrimitives.Negate(g, dx));

    /// <summary>e^x. d/dx = e^x = y.</summary>
    public Tensor Exp() => Map("Exp", static (x, y) => Reproducible.Exp(x, y),
        static (_, y, g, dx) => TensorPrimitives.Multiply(g, y, dx));

    /// <summary>Natural logarithm ln x. d/dx = 1 / x.</summary>
    public Tensor Log() => Map("Log", static (x, y) => Reproducible.Log(x, y),
        static (x, _, g, dx) => TensorPrimitives.Divide(g, x, dx));

    /// <summary>x^p for a constant exponent p. d/dx = p x^(p-1).</summary>
    public Tensor Pow(float exponent)
    {
        if (exponent == 2f)
        {
            // x * x is exact and cheaper than pow; the gradient 2x is exact too.
            return Map("Pow", static (x, y) => TensorPrimitives.Multiply(x, x, y),
                static (x, _, g, dx) =>
                {
                    TensorPrimitives.Multiply(x, g, dx);
                    TensorPrimitives.Multiply(dx, 2f, dx);
                });
        }
        return Map("Pow", (x, y) => Power(x, exponent, y),
            (x, _, g, dx) =>
            {
                Power(x, exponent - 1f, dx);
                TensorPrimitives.Multiply(dx, exponent, dx);
                TensorPrimitives.Multiply(dx, g, dx);
            });
    }

    /// <summary>destination = x^p: by repeated squaring for a whole p up to 64 in size (exact products, any sign of x),
    /// else e^(p ln x) (NaN for negative x), with the engine's reproducible exp and log rather than the platform's pow.</summary>
    private static void Power(ReadOnlySpan<float> x, float exponent, Span<float> destination)
    {
        if (exponent == MathF.Round(exponent) && MathF.Abs(exponent) <= 64f)
        {
            var remaining = (int)MathF.Abs(exponent);
            Span<float> square = x.Length <= 256 ? stackalloc float[x.Length] : new float[x.Length];
            x.CopyTo(square);
            destination[..x.Length].Fill(1f);
            for (; remaining > 0; remaining >>= 1)
            {
                if ((remaining & 1) != 0)
                {
                    TensorPrimitives.Multiply(destination, square, destination);
                }
                if (remaining > 1)
                {
                    TensorPrimitives.Multiply(square, square, square);
                }
            }
            if (exponent < 0f)
            {
                TensorPrimitives.Divide(1f, destination, destination);
            }
            return;
        }
        Reproducible.Log(x, destination);
        TensorPrimitives.Multiply(destination, exponent, destination);
        Reproducible.Exp(destination, destination);
    }

    /// <summary>Square root. d/dx = 1 / (2 sqrt x) = 0.5 / y.</summary>
    public Tensor Sqrt() => Map("Sqrt", static (x, y) => TensorPrimitives.Sqrt(x, y),
        static (_, y, g, dx) =>
        {
            TensorPrimitives.Divide(g, y, dx);
            TensorPrimitives.Multiply(dx, 0.5f, dx);
        });

    /// <summary>|x|. d/dx = sign(x), taken as 0 at x = 0 (PyTorch's convention).</summary>
    public Tensor Abs() => Map("Abs", static (x, y) => TensorPrimitives.Abs(x, y),
        static (x, _, g, dx) =>
        {
            for (var i = 0; i < dx.Length; i++)
            {
                dx[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0f;
            }
        });

    /// <summary>max(x, 0). d/dx = 1 for x &gt; 0, else 0 (0 at x = 0, as PyTorch).</summary>
    public Tensor Relu() => Map("Relu", static (x, y) => TensorPrimitives.Max(x, 0f, y),
        static (x, _, g, dx) => SelectWherePositive(x, g, 0f, useZero: true, dx));

    /// <summary>x for x &gt; 0, else slope * x. d/dx = 1 or slope (slope at x = 0, as PyTorch).</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => Map("LeakyRelu",
        (x, y) => SelectWherePositive(x, x, negativeSlope, useZero: false, y),
        (x, _, g, dx) => SelectWherePositive(x, g, negativeSlope, useZero: false, dx));

    /// <summary>
    /// destination[i] = x[i] &gt; 0 ? value[i] : (useZero ? 0 : slope * value[i]), branch-free with SIMD compares and
    /// selects. The vector loop and the scalar tail compute each element the same way (a NaN x is not &gt; 0, so it
    /// takes the second branch in both), so results do not depend on the vector width. ReLU's backward needs a true
    /// 0 rather than 0 * g, which would be NaN for an infinite or NaN g and -0 for a negative one.
    /// </summary>
    private static void SelectWherePositive(ReadOnlySpan<float> x, ReadOnlySpan<float> value, float slope, bool useZero,
        Span<float> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var slopes = new Vector<float>(slope);
            for (; i <= destination.Length - width; i += width)
            {
                var xs = new Vector<float>(x[i..]);
                var values = new Vector<float>(value[i..]);
                var otherwise = useZero ? Vector<float>.Zero : slopes * values;
                var positive = Vector.GreaterThan(xs, Vector<float>.Zero);
                Vector.ConditionalSelect(positive, values, otherwise).CopyTo(destination[i..]);
            }
        }
        for (; i < destination.Length; i++)
        {
            destination[i] = x[i] > 0 ? value[i] : useZero ? 0f : slope * value[i];
        }
    }

    /// <summary>The logistic function 1 / (1 + e^-x). d/dx = y (1 - y).</summary>
    public Tensor Sigmoid() => Map("Sigmoid", static (x, y) => Reproducible.Sigmoid(x, y),
        static (_, y, g, dx) =>
        {
            for (var i = 0; i < dx.Length; i++)
            {
                dx[i] = g[i] * y[i] * (1f - y[i]);
            }
        });

    /// <summary>Hyperbolic tangent. d/dx = 1 - y^2.</summary>
    public Tensor Tanh() => Map("Tanh", static (x, y) => Reproducible.Tanh(x, y),
        static (_, y, g, dx) =>
        {
            for (var i = 0; i < dx.Length; i++)
            {
                dx[i] = g[i] * (1f - y[i] * y[i]);
            }
        });

    /// <summary>
    /// softplus(x) = ln(1 + e^x), computed stably as max(x, 0) + ln(1 + e^-|x|). d/dx = sigmoid(x).
    /// </summary>
    /// <remarks>A primitive rather than a composite: relu(x) + log(1 + exp(-abs(x))) composed from primitives gets
    /// the derivative at x = 0 wrong (abs and relu both contribute 0 there instead of 1/2), and log(1 + exp(x)) composed
    /// overflows for x above about 88.</remarks>
    public Tensor Softplus() => Map("Softplus",
        static (x, y) => Reproducible.Softplus(x, y),
        static (x, _, g, dx) =>
        {
            Reproducible.Sigmoid(x, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        });

    /// <summary>ln sigmoid(x) = -softplus(-x), finite for large negative x (where sigmoid underflows).</summary>
    public Tensor LogSigmoid() => Neg().Softplus().Neg();

    /// <summary>Clamps to [min, max]: composed from <see cref="Maximum"/> and <see cref="Minimum"/>, so the gradient
    /// is 1 inside the interval, 0 outside (1/2 exactly on a bound).</summary>
    public Tensor Clamp(float min, float max) =>
        Minimum(Maximum(this, Scalar(min)), Scalar(max));

    private Tensor Map(string op, SpanMap forward, GradientMap backward)
    {
        var x = ContiguousMemory();
        // Uninitialised: every forward above writes all of y (one TensorPrimitives call or a loop over y.Length).
        var data = BufferPool.Allocate(Count);
        // Elementwise, so long passes split over the GEMM threads with the same bits (see ParallelRanges).
        ParallelRanges.For(data.Length, (start, length) => forward(x.Span.Slice(start, length), data.AsSpan(start, length)));
        var result = new Tensor(data, (int[])_shape.Clone());
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record(op, [input], g =>
            {
                // Uninitialised: every backward above writes all of dx before reading any of it (Pow and Sqrt
                // write dx in their first call, then scale it in place).
                var dx = BufferPool.Allocate(data.Length);
                var gradient = g.ContiguousMemory();
                ParallelRanges.For(dx.Length, (start, length) => backward(x.Span.Slice(start, length),
                    data.AsSpan(start, length), gradient.Span.Slice(start, length), dx.AsSpan(start, length)));
                input.AccumulateGrad(new Tensor(dx, input._shape), owned: true);
            });
        }
        return result;
    }

    /// <summary>The elements in row-major order without copying when contiguous; captured by backward closures.</summary>
    internal ReadOnlyMemory<float> ContiguousMemory() =>
        IsContiguous ? new ReadOnlyMemory<float>(_storage, _offset, Count) : ToArray();
}
