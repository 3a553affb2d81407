using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// A 2-D convolution layer (PyTorch's <c>nn.Conv2d</c> without dilation or groups), see <see cref="Tensor.Conv2d"/>:
/// <c>out[n, o] = bias[o] + sum over c of weight[o, c] (cross-correlated with) input[n, c]</c>.
/// </summary>
/// <remarks>Initialised as PyTorch does: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
/// fan_in = inChannels * kH * kW, weight drawn first. Parameters: <c>weight</c> (outChannels, inChannels, kH, kW),
/// <c>bias</c> (outChannels). Output size: <c>(H + 2 * padding - kH) / stride + 1</c>; DCGAN's discriminator halves
/// 28 -> 14 -> 7 with kernel 4, stride 2, padding 1.</remarks>
public class Conv2d : Module<Tensor, Tensor>
{
    /// <summary>Creates a layer with a square kernel.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, Generator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), stride, padding, bias, generator)
    {
    }

    /// <summary>Creates a layer with a kernel of <paramref name="kernelSize"/> (height, width), e.g. (1, 3).</summary>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, int stride = 1, int padding = 0, bool bias = true,
        Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize.Height, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize.Width, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        (InChannels, OutChannels, KernelSize, Stride, Padding) = (inChannels, outChannels, kernelSize, stride, padding);
        var bound = 1 / Math.Sqrt(inChannels * kernelSize.Height * kernelSize.Width);
        Weight = Parameter(Init.Uniform(Tensor.Zeros(outChannels, inChannels, kernelSize.Height, kernelSize.Width), -bound, bound, generator));
        Bias = bias ? Parameter(Init.Uniform(Tensor.Zeros(outChannels), -bound, bound, generator)) : null;
    }

    /// <summary>Shape (outChannels, inChannels, kH, kW).</summary>
    public Tensor Weight { get; }

    /// <summary>Shape (outChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step between output pixels.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>The convolution.</summary>
    /// <param name="input">Shape (N, inChannels, H, W).</param>
    /// <returns>Shape (N, outChannels, outH, outW).</returns>
    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding);

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"{InChannels}, {OutChannels}, kernelSize: ({KernelSize.Height}, {KernelSize.Width}), stride: {Stride}, padding: {Padding}" +
        (Bias is null ? ", bias: false" : "");
}
