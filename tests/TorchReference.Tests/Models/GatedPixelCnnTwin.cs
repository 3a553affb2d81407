using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>
/// The gated PixelCNN in TorchSharp, its causal windows spelled with explicit one-sided padding instead of the course's
/// symmetric padding and crop: the vertical kernel (k/2 + 1) x k over the input padded k/2 above and on both sides, the
/// horizontal kernel padded k/2 on the left only (mask A: its 1 x k/2 output one column too many, the last dropped), the
/// down-shift as one zero row padded on top with the last row dropped.
/// </summary>
internal sealed class GatedPixelCnnTwin : nn.Module<Tensor, Tensor>
{
    private readonly long height, width, channels;
    private readonly int[] kernels;
    private readonly ModuleList<Conv2d> vertical;
    private readonly ModuleList<Conv2d> horizontal;
    private readonly ModuleList<Conv2d> link;
    private readonly ModuleList<Conv2d> horizontal_output;
    private readonly Conv2d output_hidden;
    private readonly Conv2d output;

    public GatedPixelCnnTwin(int height, int width, int channels, int layers, int inputKernel) : base(nameof(GatedPixelCnnTwin))
    {
        (this.height, this.width, this.channels) = (height, width, channels);
        kernels = [inputKernel, .. Enumerable.Repeat(3, layers)];
        vertical = nn.ModuleList([.. kernels.Select((k, l) => nn.Conv2d(l == 0 ? 1 : channels, 2 * channels, ((long)(k / 2 + 1), (long)k)))]);
        horizontal = nn.ModuleList([.. kernels.Select((k, l) => nn.Conv2d(l == 0 ? 1 : channels, 2 * channels, (1L, (long)(l == 0 ? k / 2 : k / 2 + 1))))]);
        link = nn.ModuleList([.. kernels.Select(_ => nn.Conv2d(2 * channels, 2 * channels, 1))]);
        horizontal_output = nn.ModuleList([.. kernels.Select(_ => nn.Conv2d(channels, channels, 1))]);
        output_hidden = nn.Conv2d(channels, channels, 1);
        output = nn.Conv2d(channels, 1, 1);
        RegisterComponents();
    }

    /// <summary>Logits (N, H * W) for rows (N, H * W).</summary>
    public override Tensor forward(Tensor x)
    {
        var image = x.reshape(-1, 1, height, width);
        var (v, h) = (image, image);
        for (var l = 0; l < kernels.Length; l++)
        {
            var k = kernels[l];
            var verticalPre = vertical[l].forward(nn.functional.pad(v, [k / 2, k / 2, k / 2, 0]));   // (left, right, top, bottom)
            var shifted = nn.functional.pad(verticalPre, [0, 0, 1, 0]).narrow(2, 0, height);
            var horizontalPre = horizontal[l].forward(nn.functional.pad(h, [k / 2, 0, 0, 0])).narrow(3, 0, width) + link[l].forward(shifted);
            var gated = horizontalPre.narrow(1, 0, channels).tanh() * horizontalPre.narrow(1, channels, channels).sigmoid();
            h = l == 0 ? horizontal_output[l].forward(gated) : horizontal_output[l].forward(gated) + h;
            v = verticalPre.narrow(1, 0, channels).tanh() * verticalPre.narrow(1, channels, channels).sigmoid();
        }
        var hidden = output_hidden.forward(h.relu());
        return output.forward(hidden.relu()).reshape(-1, height * width);
    }

    /// <summary>−(1/N) Σ_n log p(x_n).</summary>
    public Tensor loss(Tensor x) =>
        nn.functional.binary_cross_entropy_with_logits(forward(x), x, reduction: nn.Reduction.Sum) / x.shape[0];
}
