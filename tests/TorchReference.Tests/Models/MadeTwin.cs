using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>MADE in TorchSharp: masked linear layers with ReLU between them (the masks come with the weights).</summary>
internal sealed class MadeTwin : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<MaskedLinearTwin> layers;

    public MadeTwin(int dimensions, int[] hiddenSizes) : base(nameof(MadeTwin))
    {
        int[] widths = [dimensions, .. hiddenSizes, dimensions];
        layers = nn.ModuleList([.. Enumerable.Range(0, widths.Length - 1).Select(l => new MaskedLinearTwin(widths[l], widths[l + 1]))]);
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
