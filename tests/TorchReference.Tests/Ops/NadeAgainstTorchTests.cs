using Generative;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch.nn.functional;
using Tensor = Generative.Tensors.Tensor;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Ops;

/// <summary>
/// NADE's two fused ops (Tensor.NadeLogits and Tensor.NadeNegativeLogLikelihood, a sweep over the dimensions with a
/// hand-derived backward, outside the gradient table) against the same model written densely in TorchSharp: every
/// hidden pre-activation c + W[:, :d] x[:d] at once through a strictly lower-triangular mask, as MADE would.
/// </summary>
public sealed class NadeAgainstTorchTests(ITestOutputHelper output)
{
    private const int Examples = 4, Dimensions = 6, Hidden = 5;

    /// <summary>The forward sums run over the hidden units and the preceding dimensions; the weight gradients over the
    /// examples times the later dimensions.</summary>
    private static readonly OpTolerance Tolerance = OpTolerance.Sum(Examples * Dimensions);

    [TorchFact]
    public void NadeLogits_SeededParameters_MatchDenseMaskedTorchSharp()
    {
        var inputs = Inputs(inputsRequireGrad: true);

        var comparison = OpComparison.Run("NadeLogits", inputs,
            x => Tensor.NadeLogits(x[0], x[1], x[2], x[3], x[4]), new TorchOp(x => Logits(x), Tolerance));

        Report(comparison);
        Assert.Equal(5, comparison.Gradients.Length);
        comparison.AssertWithinTolerance();
    }

    /// <summary>With <paramref name="mean"/> the backward pass receives the same gradient for every example and only
    /// scales the gradients the forward sweep already computed (the training path); with a random gradient per example
    /// it falls back to the backward sweep of NadeLogits.</summary>
    [TorchTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void NadeNegativeLogLikelihood_SeededParameters_MatchDenseMaskedTorchSharp(bool mean)
    {
        var inputs = Inputs(inputsRequireGrad: false);

        var comparison = OpComparison.Run(mean ? "NadeNegativeLogLikelihood, mean" : "NadeNegativeLogLikelihood, per example", inputs,
            x =>
            {
                var nll = Tensor.NadeNegativeLogLikelihood(x[0], x[1], x[2], x[3], x[4]);
                return mean ? nll.Mean() : nll;
            },
            new TorchOp(x =>
            {
                var nll = binary_cross_entropy_with_logits(Logits(x), x[0], reduction: torch.nn.Reduction.None).sum(1);
                return mean ? nll.mean() : nll;
            }, Tolerance));

        Report(comparison);
        Assert.Equal(4, comparison.Gradients.Length);
        comparison.AssertWithinTolerance();
    }

    /// <summary>x (binary pixels), W (H, D), c (H), V (D, H), b (D), seeded; the parameters require gradients.</summary>
    private static Tensor[] Inputs(bool inputsRequireGrad)
    {
        var generator = new Generator(2024);
        var pixels = new float[Examples * Dimensions];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = generator.Bernoulli(0.5) ? 1 : 0;
        }
        Tensor[] inputs =
        [
            Tensor.FromArray(pixels, Examples, Dimensions),
            Tensor.Randn([Hidden, Dimensions], generator),
            Tensor.Randn([Hidden], generator),
            Tensor.Randn([Dimensions, Hidden], generator),
            Tensor.Randn([Dimensions], generator),
        ];
        foreach (var (tensor, k) in inputs.Select((t, k) => (t, k)))
        {
            tensor.RequiresGrad = k > 0 || inputsRequireGrad;
        }
        return inputs;
    }

    /// <summary>logit[n, d] = b[d] + V[d] · sigmoid(c + sum over j &lt; d of W[:, j] x[n, j]).</summary>
    private static TorchTensor Logits(TorchTensor[] p)
    {
        var (x, w, c, v, b) = (p[0], p[1], p[2], p[3], p[4]);
        var before = torch.ones(Dimensions, Dimensions).tril(-1);                        // before[d, j] = 1 when j < d
        var preActivations = (x.unsqueeze(1) * before.unsqueeze(0)).matmul(w.t()) + c;  // (N, D, H)
        return (preActivations.sigmoid() * v.unsqueeze(0)).sum(-1) + b;
    }

    private void Report(OpComparison comparison)
    {
        output.WriteLine($"{comparison.Op} (tolerance {comparison.Tolerance})");
        foreach (var difference in comparison.All)
        {
            output.WriteLine($"  {difference}, {difference.MaxScaled:g3} relative to max(1, |torch|)");
        }
    }
}
