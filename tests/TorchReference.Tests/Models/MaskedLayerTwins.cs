using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>A linear layer whose weight is multiplied by a 0/1 mask buffer, as a PyTorch user writes MADE's layer:
/// <c>F.linear(x, weight * mask, bias)</c>. Members <c>weight</c>, <c>bias</c> and the buffer <c>mask</c>, built by the
/// owner from the model's definition (and checked against the course's when the weights are loaded).</summary>
internal sealed class MaskedLinearTwin : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor mask;

    /// <param name="mask">M, shape (outFeatures, inFeatures): M[o, i] = 1 keeps the connection from input i to output o.</param>
    public MaskedLinearTwin(Tensor mask) : base(nameof(MaskedLinearTwin))
    {
        var (outFeatures, inFeatures) = (mask.shape[0], mask.shape[1]);
        weight = new Parameter(zeros(outFeatures, inFeatures));
        bias = new Parameter(zeros(outFeatures));
        this.mask = mask.to_type(ScalarType.Float32);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
        register_buffer("mask", this.mask);
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight * mask, bias);
}

/// <summary>PixelCNN's masked "same" convolution: <c>F.conv2d(x, weight * mask, bias, padding=k // 2)</c>, the mask
/// built as PixelCNN code builds it: zero below the centre row, and in the centre row right of the centre (and at
/// the centre too for type A).</summary>
internal sealed class MaskedConv2dTwin : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor mask;
    private readonly long padding;

    public MaskedConv2dTwin(char maskType, long inChannels, long outChannels, long kernelSize) : base(nameof(MaskedConv2dTwin))
    {
        weight = new Parameter(zeros(outChannels, inChannels, kernelSize, kernelSize));
        bias = new Parameter(zeros(outChannels));
        padding = kernelSize / 2;
        mask = ones(outChannels, inChannels, kernelSize, kernelSize);
        mask[.., .., padding, TensorIndex.Slice(padding + (maskType == 'B' ? 1 : 0))] = 0;
        mask[.., .., TensorIndex.Slice(padding + 1)] = 0;
        register_parameter("weight", weight);
        register_parameter("bias", bias);
        register_buffer("mask", mask);
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv2d(input, weight * mask, bias, padding: [padding, padding]);
}
