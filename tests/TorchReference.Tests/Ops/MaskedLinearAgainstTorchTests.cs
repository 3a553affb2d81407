using Generative;
using Generative.NN;
using Xunit.Abstractions;
using static TorchSharp.torch.nn.functional;
using Tensor = Generative.Tensors.Tensor;

namespace TorchReference.Tests.Ops;

/// <summary>
/// MADE's masked layer, a fused op outside the gradient table (the engine writes (gᵀ x) ⊙ M straight into W's gradient
/// instead of recording W ⊙ M), against TorchSharp's linear of the explicitly masked weight: output, and the gradients
/// of the input, the weight (zero where the mask is) and the bias.
/// </summary>
public sealed class MaskedLinearAgainstTorchTests(ITestOutputHelper output)
{
    private const int InFeatures = 6, OutFeatures = 5;

    [TorchTheory]
    [InlineData(new[] { 4, InFeatures })]
    [InlineData(new[] { 2, 3, InFeatures })]
    public void MaskedLinear_SeededMaskAndInputs_MatchesTorchSharpLinearOfMaskedWeight(int[] inputShape)
    {
        var generator = new Generator(31);
        var layer = new MaskedLinear(InFeatures, OutFeatures, generator: generator);
        var mask = Tensor.Bernoulli(Tensor.Full([OutFeatures, InFeatures], 0.6f), generator);
        layer.SetMask(mask);
        var input = Tensor.Randn(inputShape, generator);
        input.RequiresGrad = true;

        // Forward sums over the inputs; the weight gradient over the examples, the input gradient over the outputs.
        var tolerance = OpTolerance.Sum(Math.Max(InFeatures, inputShape[..^1].Aggregate(1, (a, b) => a * b)));
        var torchMask = TorchSharp.torch.tensor(mask.ToArray()).reshape(OutFeatures, InFeatures);
        var comparison = OpComparison.Run($"MaskedLinear, input ({string.Join(", ", inputShape)})", [input, layer.Weight, layer.Bias!],
            x => layer.Forward(x[0]), new TorchOp(x => linear(x[0], x[1] * torchMask, x[2]), tolerance));

        output.WriteLine($"{comparison.Op} (tolerance {comparison.Tolerance}), mask keeps {mask.ToArray().Count(v => v != 0)} of {mask.Count}");
        foreach (var difference in comparison.All)
        {
            output.WriteLine($"  {difference}, {difference.MaxScaled:g3} relative to max(1, |torch|)");
        }
        Assert.Equal(3, comparison.Gradients.Length);
        Assert.All(layer.Weight.Grad!.ToArray().Where((_, i) => mask.ToArray()[i] == 0), g => Assert.Equal(0f, g));
        comparison.AssertWithinTolerance();
    }
}
