using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>A linear layer whose weight is multiplied by a 0/1 mask buffer, as a PyTorch user writes MADE's layer:
/// <c>F.linear(x, weight * mask, bias)</c>. Members <c>weight</c>, <c>bias</c> and the buffer <c>mask</c>.</summary>
internal sealed class MaskedLinearTwin : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor mask;

    public MaskedLinearTwin(long inFeatures, long outFeatures) : base(nameof(MaskedLinearTwin))
    {
        weight = new Parameter(zeros(outFeatures, inFeatures));
        bias = new Parameter(zeros(outFeatures));
        mask = ones(outFeatures, inFeatures);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
        register_buffer("mask", mask);
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight * mask, bias);
}

/// <summary>PixelCNN's masked "same" convolution: <c>F.conv2d(x, weight * mask, bias, padding=k // 2)</c>, the mask a
/// buffer loaded with the weights (so the twin uses the course's mask; the test of its pattern is the likelihood).</summary>
internal sealed class MaskedConv2dTwin : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor mask;
    private readonly long padding;

    public MaskedConv2dTwin(long inChannels, long outChannels, long kernelSize) : base(nameof(MaskedConv2dTwin))
    {
        weight = new Parameter(zeros(outChannels, inChannels, kernelSize, kernelSize));
        bias = new Parameter(zeros(outChannels));
        mask = ones(outChannels, inChannels, kernelSize, kernelSize);
        padding = kernelSize / 2;
        register_parameter("weight", weight);
        register_parameter("bias", bias);
        register_buffer("mask", mask);
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv2d(input, weight * mask, bias, padding: [padding, padding]);
}
