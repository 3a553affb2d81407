using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// A 2-D transposed convolution layer (PyTorch's <c>nn.ConvTranspose2d</c> without dilation or groups), see
/// <see cref="Tensor.ConvTranspose2d"/>: the adjoint of a strided convolution, used to upsample.
/// </summary>
/// <remarks>Initialised as PyTorch does: weight and bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) where, as in PyTorch,
/// fan_in is computed from the weight's dimension 1: outChannels * kH * kW. Parameters: <c>weight</c>
/// (inChannels, outChannels, kH, kW), <c>bias</c> (outChannels). Output size:
/// <c>(H - 1) * stride - 2 * padding + kH + outputPadding</c>; DCGAN's generator doubles 7 -> 14 -> 28 with kernel 4,
/// stride 2, padding 1.</remarks>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    /// <summary>Creates a layer with a square kernel.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0,
        bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (outputPadding < 0 || outputPadding >= stride)
        {
            throw new ArgumentOutOfRangeException(nameof(outputPadding), $"ConvTranspose2d: outputPadding must be in [0, stride) = [0, {stride}), got {outputPadding}.");
        }
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding) = (inChannels, outChannels, kernelSize, stride, padding, outputPadding);
        var bound = 1 / Math.Sqrt(outChannels * kernelSize * kernelSize);
        Weight = Parameter(Init.Uniform(Tensor.Zeros(inChannels, outChannels, kernelSize, kernelSize), -bound, bound, generator));
        Bias = bias ? Parameter(Init.Uniform(Tensor.Zeros(outChannels), -bound, bound, generator)) : null;
    }

    /// <summary>Shape (inChannels, outChannels, k, k) (PyTorch's layout for transposed convolutions).</summary>
    public Tensor Weight { get; }

    /// <summary>Shape (outChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Upsampling factor.</summary>
    public int Stride { get; }

    /// <summary>Rows and columns cropped from every side of the full output.</summary>
    public int Padding { get; }

    /// <summary>Extra rows and columns at the bottom and right of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>The transposed convolution.</summary>
    /// <param name="input">Shape (N, inChannels, H, W).</param>
    /// <returns>Shape (N, outChannels, outH, outW).</returns>
    public override Tensor Forward(Tensor input) => Tensor.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding);

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"{InChannels}, {OutChannels}, kernelSize: {KernelSize}, stride: {Stride}, padding: {Padding}" +
        (OutputPadding != 0 ? $", outputPadding: {OutputPadding}" : "") + (Bias is null ? ", bias: false" : "");
}
