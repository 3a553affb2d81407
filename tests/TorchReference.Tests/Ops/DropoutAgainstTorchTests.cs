using Generative;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch.nn.functional;
using Tensor = Generative.Tensors.Tensor;

namespace TorchReference.Tests.Ops;

/// <summary>
/// The random part of dropout, which the table row cannot compare (each engine draws its mask from its own generator;
/// the row fixes the engine's mask in both): libtorch's own dropout and the engine's, each on a vector of ones, keep
/// about the same fraction, scale the kept elements by the same 1 / (1 - p), route the gradient through the same mask,
/// and leave the input alone outside training.
/// </summary>
[Collection(TorchGlobalGeneratorCollection.Name)]
public sealed class DropoutAgainstTorchTests(ITestOutputHelper output)
{
    private const int Count = 20_000;

    /// <summary>Standard errors of the kept fraction allowed (a Bernoulli mean over Count draws; two-sided p about 6e-5
    /// for one seed, which is fixed, so the test is deterministic).</summary>
    private const double StandardErrors = 4;

    [TorchTheory]
    [InlineData(0.1f)]
    [InlineData(0.4f)]
    [InlineData(0.5f)]
    public void Dropout_TrainingOnOnes_KeepsAndScalesLikeTorch(float p)
    {
        var ours = Tensor.Ones(Count);
        ours.RequiresGrad = true;
        var ourOutput = ours.Dropout(p, training: true, new Generator(11));
        ourOutput.Backward(Tensor.Ones(Count));

        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        var theirs = torch.ones(Count, requires_grad: true);
        var theirOutput = dropout(theirs, p, training: true);
        theirOutput.sum().backward();

        var (ourScale, ourKept) = Survivors(ourOutput.ToArray(), "engine");
        var (theirScale, theirKept) = Survivors(theirOutput.detach().data<float>().ToArray(), "TorchSharp");
        output.WriteLine($"p = {p}: engine keeps {ourKept:F4} scaled by {ourScale:R}, TorchSharp keeps {theirKept:F4} scaled by {theirScale:R}");

        Assert.True(Math.Abs(ourScale - theirScale) <= OpTolerance.Arithmetic.Relative * theirScale,
            $"kept elements scaled by {ourScale:R} in the engine, {theirScale:R} in TorchSharp");
        var standardError = Math.Sqrt(p * (1 - p) / Count);
        Assert.InRange(ourKept, 1 - p - StandardErrors * standardError, 1 - p + StandardErrors * standardError);
        Assert.InRange(theirKept, 1 - p - StandardErrors * standardError, 1 - p + StandardErrors * standardError);
        // On ones, d sum(out) / dx is the scaled mask, which is the output itself: in both engines.
        Assert.Equal(ourOutput.ToArray(), ours.Grad!.ToArray());
        Assert.Equal(theirOutput.detach().data<float>().ToArray(), theirs.grad!.data<float>().ToArray());
    }

    [TorchFact]
    public void Dropout_OutsideTraining_ReturnsTheInputLikeTorch()
    {
        var values = Tensor.Randn([3, 5], new Generator(5));

        var ours = values.Dropout(0.4f, training: false, new Generator(11)).ToArray();
        using var scope = torch.NewDisposeScope();
        var theirs = dropout(torch.tensor(values.ToArray()), 0.4, training: false).data<float>().ToArray();

        Assert.Equal(values.ToArray(), ours);
        Assert.Equal(values.ToArray(), theirs);
    }

    /// <summary>The one value every nonzero element holds (the scale) and the fraction of nonzero elements.</summary>
    private static (float Scale, double Kept) Survivors(float[] values, string engine)
    {
        var kept = values.Where(v => v != 0).ToArray();
        Assert.True(kept.Length > 0, $"{engine} dropped every element");
        Assert.True(kept.All(v => v == kept[0]), $"{engine} scaled its kept elements by more than one factor");
        return (kept[0], (double)kept.Length / values.Length);
    }
}
