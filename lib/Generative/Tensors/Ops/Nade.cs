using System.Numerics.Tensors;
using Generative.Tensors.Kernels;

namespace Generative.Tensors;

// NADE's conditionals as two fused ops (Functions) over the kernels of Kernels/NadeKernels.cs, where the math and its
// backward derivation are written out.
public sealed partial class Tensor
{
    /// <summary>
    /// The logits of NADE's conditionals, logit[n, d] = b_d + V[d, :] · σ(c + W[:, :d] x[n, :d]), recorded for
    /// autograd with respect to every argument that requires gradients.
    /// </summary>
    /// <param name="inputs">x, shape (N, D): usually 0/1 pixels (zeros are skipped, so sparse inputs are cheaper).</param>
    /// <param name="weight">W, shape (H, D): column j carries x_j into the hidden pre-activation of every later d.</param>
    /// <param name="hiddenBias">c, shape (H).</param>
    /// <param name="outputWeight">V, shape (D, H).</param>
    /// <param name="outputBias">b, shape (D).</param>
    /// <returns>Shape (N, D): the logit of p(x_d = 1 | x_&lt;d) for each example and dimension.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together (the message names them).</exception>
    public static Tensor NadeLogits(Tensor inputs, Tensor weight, Tensor hiddenBias, Tensor outputWeight, Tensor outputBias)
    {
        var sizes = CheckNadeShapes(inputs, weight, hiddenBias, outputWeight, outputBias);
        return new NadeLogitsFunction(sizes).Apply(inputs, weight, hiddenBias, outputWeight, outputBias);
    }

    /// <summary>
    /// NADE's negative log-likelihood of each example, −log p(x_n) = Σ_d BCE(logit_d, x_d) in nats, with the logits of
    /// <see cref="NadeLogits"/> and x both input and target; recorded for autograd with respect to the parameters.
    /// </summary>
    /// <remarks>
    /// When gradients are recorded, the forward pass also computes the gradients of Σ_n nll_n in the same sweep; the
    /// backward pass then only scales them by the incoming gradient, which is what a mean or a sum over the batch sends
    /// (the same value for every example). Any other incoming gradient falls back to the backward sweep of
    /// <see cref="NadeLogits"/>. The result equals <c>Losses.BinaryCrossEntropyWithLogits(NadeLogits(x, ...), x,
    /// Reduction.None).Sum(1)</c>, which is also the way to get a gradient with respect to x.
    /// </remarks>
    /// <returns>Shape (N).</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together, or <paramref name="inputs"/> requires gradients.</exception>
    public static Tensor NadeNegativeLogLikelihood(Tensor inputs, Tensor weight, Tensor hiddenBias, Tensor outputWeight, Tensor outputBias)
    {
        var sizes = CheckNadeShapes(inputs, weight, hiddenBias, outputWeight, outputBias);
        if (inputs.RequiresGrad && IsGradEnabled)
        {
            throw new ArgumentException(
                "NadeNegativeLogLikelihood: inputs require gradients, which this fused op does not compute (x is both input and target); " +
                "compose Losses.BinaryCrossEntropyWithLogits(NadeLogits(x, ...), x, Reduction.None).Sum(1) instead.", nameof(inputs));
        }
        return new NadeNllFunction(sizes).Apply(inputs, weight, hiddenBias, outputWeight, outputBias);
    }

    private sealed class NadeLogitsFunction((int N, int D, int H) sizes) : Function
    {
        private float[]? _x, _w, _c, _v;

        public override string Name => "NadeLogits";

        protected override Tensor Forward(Tensor[] inputs)
        {
            var (n, d, h) = sizes;
            (_x, _w, _c, _v) = (inputs[0].ContiguousArray(), inputs[1].ContiguousArray(), inputs[2].ContiguousArray(), inputs[3].ContiguousArray());
            var logits = new float[n * d];
            NadeKernels.Forward(_x, _w, _c, _v, inputs[4].ContiguousArray(), logits, n, d, h);
            return new Tensor(logits, [n, d]);
        }

        protected override Tensor?[] Backward(Tensor gradOutput)
        {
            var (n, d, h) = sizes;
            // The sweep writes every element of the parameter gradients, and of ∂L/∂x when asked for.
            var gradX = NeedsInputGrad(0) ? NewGradientUninitialized(0) : null;
            Tensor gradW = NewGradientUninitialized(1), gradC = NewGradientUninitialized(2), gradV = NewGradientUninitialized(3), gradB = NewGradientUninitialized(4);
            NadeKernels.Backward(gradOutput.ContiguousSpan(), _x, _w, _c, _v, gradW.Storage, gradC.Storage, gradV.Storage, gradB.Storage,
                gradX is null ? Span<float>.Empty : gradX.Storage, n, d, h);
            return [gradX, gradW, gradC, gradV, gradB];
        }
    }

    private sealed class NadeNllFunction((int N, int D, int H) sizes) : Function
    {
        private float[]? _x, _w, _c, _v, _logits;

        // Σ_n nll_n's gradients, computed by the forward sweep when any parameter needs one.
        private float[]? _gradW, _gradC, _gradV, _gradB;

        public override string Name => "NadeNegativeLogLikelihood";

        protected override Tensor Forward(Tensor[] inputs)
        {
            var (n, d, h) = sizes;
            (_x, _w, _c, _v) = (inputs[0].ContiguousArray(), inputs[1].ContiguousArray(), inputs[2].ContiguousArray(), inputs[3].ContiguousArray());
            var b = inputs[4].ContiguousArray();
            _logits = new float[n * d];
            var nll = new float[n];
            if (!(NeedsInputGrad(1) || NeedsInputGrad(2) || NeedsInputGrad(3) || NeedsInputGrad(4)))
            {
                NadeKernels.Forward(_x, _w, _c, _v, b, _logits, n, d, h);
                for (var e = 0; e < n; e++)
                {
                    nll[e] = NadeKernels.BinaryCrossEntropySum(_logits.AsSpan(e * d, d), _x.AsSpan(e * d, d));
                }
                return new Tensor(nll, [n]);
            }
            (_gradW, _gradC, _gradV, _gradB) = (new float[h * d], new float[h], new float[d * h], new float[d]);
            NadeKernels.ForwardBackwardNll(_x, _w, _c, _v, b, _logits, nll, _gradW, _gradC, _gradV, _gradB, n, d, h);
            return new Tensor(nll, [n]);
        }

        protected override Tensor?[] Backward(Tensor gradOutput)
        {
            // The cached sums stay untouched (a second backward pass through this graph finds them as they were).
            var (n, d, h) = sizes;
            var incoming = gradOutput.ContiguousSpan();
            Tensor dW = NewGradientUninitialized(1), dC = NewGradientUninitialized(2), dV = NewGradientUninitialized(3), dB = NewGradientUninitialized(4);
            if (incoming.Length == 0 || TensorPrimitives.Max(incoming) == TensorPrimitives.Min(incoming))
            {
                var scale = incoming.Length == 0 ? 0f : incoming[0];
                TensorPrimitives.Multiply(_gradW, scale, dW.Storage);
                TensorPrimitives.Multiply(_gradC, scale, dC.Storage);
                TensorPrimitives.Multiply(_gradV, scale, dV.Storage);
                TensorPrimitives.Multiply(_gradB, scale, dB.Storage);
            }
            else
            {
                // ∂L/∂logit[n, j] = g_n (σ(logit[n, j]) − x[n, j]), then the general backward sweep
                var gradLogits = new float[n * d];
                BinaryCrossEntropyKernel.WithLogitsGradient(_logits, _x.AsSpan(0, n * d), gradLogits);
                for (var e = 0; e < n; e++)
                {
                    TensorPrimitives.Multiply(gradLogits.AsSpan(e * d, d), incoming[e], gradLogits.AsSpan(e * d, d));
                }
                NadeKernels.Backward(gradLogits, _x, _w, _c, _v, dW.Storage, dC.Storage, dV.Storage, dB.Storage, Span<float>.Empty, n, d, h);
            }
            return [null, dW, dC, dV, dB];
        }
    }

    private static (int N, int D, int H) CheckNadeShapes(Tensor inputs, Tensor weight, Tensor hiddenBias, Tensor outputWeight, Tensor outputBias)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(hiddenBias);
        ArgumentNullException.ThrowIfNull(outputWeight);
        ArgumentNullException.ThrowIfNull(outputBias);
        if (inputs.Rank != 2 || weight.Rank != 2)
        {
            throw new ArgumentException(
                $"Nade: inputs {Tensor.FormatShape(inputs.Shape)} must be (N, D) and weight {Tensor.FormatShape(weight.Shape)} (H, D).");
        }
        int n = inputs.Size(0), d = inputs.Size(1), h = weight.Size(0);
        if (weight.Size(1) != d
            || !hiddenBias.Shape.AsSpan().SequenceEqual([h])
            || !outputWeight.Shape.AsSpan().SequenceEqual([d, h])
            || !outputBias.Shape.AsSpan().SequenceEqual([d]))
        {
            throw new ArgumentException(
                $"Nade: shapes do not fit: inputs {Tensor.FormatShape(inputs.Shape)} (N, D), weight {Tensor.FormatShape(weight.Shape)} (H, D), " +
                $"hiddenBias {Tensor.FormatShape(hiddenBias.Shape)} (H), outputWeight {Tensor.FormatShape(outputWeight.Shape)} (D, H), " +
                $"outputBias {Tensor.FormatShape(outputBias.Shape)} (D).");
        }
        return (n, d, h);
    }

}
