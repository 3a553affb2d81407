using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>PixelCNN in TorchSharp: a mask-A convolution, mask-B 3 x 3 convolutions, two 1 x 1 convolutions, ReLU
/// before each layer after the first.</summary>
internal sealed class PixelCnnTwin : nn.Module<Tensor, Tensor>
{
    private readonly long height, width;
    private readonly MaskedConv2dTwin input;
    private readonly ModuleList<MaskedConv2dTwin> hidden;
    private readonly Conv2d output_hidden;
    private readonly Conv2d output;

    public PixelCnnTwin(int height, int width, int channels, int layers, int inputKernel) : base(nameof(PixelCnnTwin))
    {
        (this.height, this.width) = (height, width);
        input = new MaskedConv2dTwin('A', 1, channels, inputKernel);
        hidden = nn.ModuleList([.. Enumerable.Range(0, layers).Select(_ => new MaskedConv2dTwin('B', channels, channels, 3))]);
        output_hidden = nn.Conv2d(channels, channels, 1);
        output = nn.Conv2d(channels, 1, 1);
        register_module("input", input);
        register_module("hidden", hidden);
        register_module("output_hidden", output_hidden);
        register_module("output", output);
    }

    /// <summary>Logits (N, H * W) for rows (N, H * W).</summary>
    public override Tensor forward(Tensor x)
    {
        var h = input.forward(x.reshape(-1, 1, height, width));
        foreach (var layer in hidden)
        {
            h = layer.forward(h.relu());
        }
        h = output_hidden.forward(h.relu());
        return output.forward(h.relu()).reshape(-1, height * width);
    }

    /// <summary>−(1/N) Σ_n log p(x_n).</summary>
    public Tensor loss(Tensor x) =>
        nn.functional.binary_cross_entropy_with_logits(forward(x), x, reduction: nn.Reduction.Sum) / x.shape[0];
}
