using Generative.Tensors.Kernels;
using System.Numerics.Tensors;
using Generative.Tensors;
using Tensor = Generative.Tensors.Tensor;

namespace Generative.NN;

// The binary cross-entropies as fused elementwise ops: one pass forward, one backward, each gradient derived by
// hand below and checked against finite differences in tests/Generative.Tests/NN/LossesGradientTests.cs.
public static partial class Losses
{
    /// <summary>The floor PyTorch's <c>binary_cross_entropy</c> puts under each log: log p is taken as at least −100.</summary>
    private const float LogFloor = -100f;

    /// <summary>PyTorch's floor under p (1 − p) in the gradient of <see cref="BinaryCrossEntropy"/>.</summary>
    private const float GradientEpsilon = 1e-12f;

    /// <summary>
    /// Binary cross-entropy of logits z against targets y (PyTorch's <c>binary_cross_entropy_with_logits</c>):
    /// −[y log σ(z) + (1 − y) log(1 − σ(z))] per element, computed in the stable form
    /// max(z, 0) − z y + log(1 + exp(−|z|)), which neither overflows nor loses precision for large |z|
    /// (|z| = 100 gives 0 or 100, correct to float32 precision, instead of the NaN or infinity of the naive formula).
    /// </summary>
    /// <remarks>
    /// The gradient is d/dz = σ(z) − y and, when the targets require gradients, d/dy = −z. Forward and backward are
    /// a few TensorPrimitives passes each (SIMD), as this loss runs over every pixel of every batch in a VAE. The
    /// result is accurate in absolute terms (within float32 rounding of the larger of the terms); a loss far below
    /// 2⁻²⁴, such as e⁻²⁰ for a confidently right logit, may come out as 0.
    /// Prefer this to <see cref="BinaryCrossEntropy"/> on <c>Sigmoid()</c> outputs: it is exact where the sigmoid
    /// rounds to 0 or 1.
    /// </remarks>
    /// <param name="logits">z, any shape.</param>
    /// <param name="targets">y, the same shape, usually in [0, 1] (e.g. binarised pixels).</param>
    /// <param name="reduction"><see cref="Reduction.None"/> keeps the input's shape; to get one loss per example of
    /// an (N, D) batch, use None and <c>Sum(1)</c>.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape("BinaryCrossEntropyWithLogits", logits, "logits", targets, "targets");
        var losses = Fused("BinaryCrossEntropyWithLogits", logits, targets,
            static (z, y, loss) => BinaryCrossEntropyKernel.WithLogits(z, y, loss),
            static (z, y, g, dz) =>
            {
                // dz = g (σ(z) − y)
                BinaryCrossEntropyKernel.WithLogitsGradient(z, y, dz);
                TensorPrimitives.Multiply(dz, g, dz);
            },
            static (z, _, g, dy) =>
            {
                // dy = −g z
                TensorPrimitives.Multiply(z, g, dy);
                TensorPrimitives.Negate(dy, dy);
            });
        return Reduce(losses, reduction);
    }

    /// <summary>
    /// Binary cross-entropy of probabilities p against targets y (PyTorch's <c>binary_cross_entropy</c>):
    /// −[y log p + (1 − y) log(1 − p)] per element.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Clamping, as PyTorch: each logarithm is floored at −100, so p = 0 with y = 1 (or p = 1 with y = 0) costs 100
    /// rather than infinity, and p = y = 0 costs exactly 0. The gradient d/dp = (p − y) / max(p (1 − p), 10⁻¹²) keeps the
    /// same floor under its denominator, so it stays finite (at most 10¹² in size) where a sigmoid has saturated.
    /// When the targets require gradients, d/dy = max(log(1 − p), −100) − max(log p, −100).
    /// </para>
    /// <para>
    /// A saturated sigmoid rounds to exactly 0 or 1 in float32 (for |z| above about 17), after which this loss only sees
    /// the clamp; with logits at hand use <see cref="BinaryCrossEntropyWithLogits"/>.
    /// </para>
    /// </remarks>
    /// <param name="probs">p, any shape, every element in [0, 1].</param>
    /// <param name="targets">y, the same shape.</param>
    /// <param name="reduction"><see cref="Reduction.None"/> keeps the input's shape.</param>
    /// <exception cref="ArgumentException">The shapes differ, or an element of <paramref name="probs"/> is outside [0, 1] or NaN.</exception>
    public static Tensor BinaryCrossEntropy(Tensor probs, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape("BinaryCrossEntropy", probs, "probs", targets, "targets");
        // Checked here, in one pass over the whole tensor, so the message names the element's index in it (the loss
        // below may run in ranges on several threads).
        var values = probs.ContiguousSpan();
        for (var i = 0; i < values.Length; i++)
        {
            if (!(values[i] >= 0f && values[i] <= 1f))
            {
                throw new ArgumentException(
                    $"BinaryCrossEntropy: all elements of probs must be in [0, 1], but element {i} is {values[i]}. " +
                    "For unnormalised scores use BinaryCrossEntropyWithLogits.", nameof(probs));
            }
        }
        var losses = Fused("BinaryCrossEntropy", probs, targets,
            static (p, y, loss) =>
            {
                for (var i = 0; i < loss.Length; i++)
                {
                    var pi = p[i];
                    var logP = MathF.Max(Reproducible.Log(pi), LogFloor);
                    var log1MinusP = MathF.Max(Reproducible.LogP1(-pi), LogFloor);
                    loss[i] = -(y[i] * logP + (1f - y[i]) * log1MinusP);
                }
            },
            static (p, y, g, dp) =>
            {
                for (var i = 0; i < dp.Length; i++)
                {
                    var pi = p[i];
                    dp[i] = g[i] * (pi - y[i]) / MathF.Max(pi * (1f - pi), GradientEpsilon);
                }
            },
            static (p, _, g, dy) =>
            {
                for (var i = 0; i < dy.Length; i++)
                {
                    var pi = p[i];
                    dy[i] = g[i] * (MathF.Max(Reproducible.LogP1(-pi), LogFloor) - MathF.Max(Reproducible.Log(pi), LogFloor));
                }
            });
        return Reduce(losses, reduction);
    }

    private delegate void PairForward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> loss);

    // d(loss)/d(input) times the incoming gradient g, elementwise, given both inputs.
    private delegate void PairBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> gradient);

    /// <summary>An elementwise op of two same-shaped tensors with hand-written forward and backward loops.</summary>
    private static Tensor Fused(string op, Tensor a, Tensor b, PairForward forward, PairBackward backwardA, PairBackward backwardB) =>
        new ElementwisePair(op, forward, backwardA, backwardB).Apply(a, b);

    /// <summary>The <see cref="Function"/> behind <see cref="Fused"/>: long passes split over the worker pool with the
    /// same bits (see <see cref="ParallelRanges"/>).</summary>
    private sealed class ElementwisePair(string name, PairForward forward, PairBackward backwardA, PairBackward backwardB) : Function
    {
        private ReadOnlyMemory<float> _a, _b;

        public override string Name => name;

        protected override Tensor Forward(Tensor[] inputs)
        {
            (_a, _b) = (inputs[0].ContiguousMemory(), inputs[1].ContiguousMemory());
            // Uninitialised here and for the gradients below: every forward and backward above writes its whole
            // destination (SIMD passes whose first writes all of it, or a loop over its length) before reading it.
            var data = BufferPool.Allocate(inputs[0].Count);
            var (x, y) = (_a, _b);
            ParallelRanges.For(data.Length, (start, length) =>
                forward(x.Span.Slice(start, length), y.Span.Slice(start, length), data.AsSpan(start, length)));
            return new Tensor(data, inputs[0].Shape);
        }

        protected override Tensor?[] Backward(Tensor gradOutput)
        {
            var incoming = gradOutput.ContiguousMemory();
            return [NeedsInputGrad(0) ? Gradient(0, backwardA) : null, NeedsInputGrad(1) ? Gradient(1, backwardB) : null];

            Tensor Gradient(int index, PairBackward backward)
            {
                var gradient = NewGradientUninitialized(index);
                var (x, y, destination) = (_a, _b, gradient.Storage);
                ParallelRanges.For(destination.Length, (start, length) => backward(x.Span.Slice(start, length),
                    y.Span.Slice(start, length), incoming.Span.Slice(start, length), destination.AsSpan(start, length)));
                return gradient;
            }
        }
    }
}
