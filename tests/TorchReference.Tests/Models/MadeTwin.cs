using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>MADE in TorchSharp: masked linear layers with ReLU between them, the masks built from the units' degrees by
/// the paper's rule (a hidden unit of degree m reads units of degree at most m; output d reads degrees below d).</summary>
internal sealed class MadeTwin : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<MaskedLinearTwin> layers;

    /// <param name="dimensions">D.</param>
    /// <param name="hiddenDegrees">Each hidden layer's unit degrees (the course draws them at random).</param>
    public MadeTwin(int dimensions, IReadOnlyList<int[]> hiddenDegrees) : base(nameof(MadeTwin))
    {
        var inputDegrees = arange(1, dimensions + 1);
        var degrees = new[] { inputDegrees }.Concat(hiddenDegrees.Select(d => tensor(d))).Append(inputDegrees).ToArray();
        layers = nn.ModuleList([.. Enumerable.Range(0, degrees.Length - 1).Select(l =>
        {
            var (into, from) = (degrees[l + 1].unsqueeze(1), degrees[l].unsqueeze(0));
            return new MaskedLinearTwin(l + 2 < degrees.Length ? into >= from : into > from);
        })]);
        register_module("layers", layers);
    }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (var l = 0; l < layers.Count; l++)
        {
            x = layers[l].forward(x);
            if (l + 1 < layers.Count)
            {
                x = x.relu();
            }
        }
        return x;
    }

    /// <summary>−(1/N) Σ_n log p(x_n).</summary>
    public Tensor loss(Tensor x) =>
        nn.functional.binary_cross_entropy_with_logits(forward(x), x, reduction: nn.Reduction.Sum) / x.shape[0];
}
