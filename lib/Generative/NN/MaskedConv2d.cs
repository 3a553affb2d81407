using Generative.Tensors;

namespace Generative.NN;

/// <summary>Which centre pixel a PixelCNN masked convolution may see.</summary>
public enum MaskType
{
    /// <summary>Excludes the centre pixel: the first layer, so that output pixel i depends only on inputs before i.</summary>
    A,

    /// <summary>Includes the centre pixel: later layers, whose input at i already depends only on pixels before i.</summary>
    B,
}

/// <summary>
/// PixelCNN's masked convolution (van den Oord et al. 2016, https://arxiv.org/abs/1601.06759): a "same" convolution
/// (stride 1, padding k / 2) whose kernel is zeroed below the centre row and right of the centre in the centre row, so
/// that output pixel i sees only pixels before i in raster order (type <see cref="MaskType.A"/>) or up to and including
/// i (type <see cref="MaskType.B"/>).
/// </summary>
/// <remarks>The mask is a buffer named <c>mask</c> of the weight's shape (outChannels, inChannels, k, k), built from
/// the kernel size; every channel sees the same spatial mask (no RGB channel ordering). Masked-out weights get zero
/// gradient.</remarks>
public sealed class MaskedConv2d : Conv2d
{
    [Buffer]
    private readonly Tensor _mask;

    /// <summary>Creates the layer.</summary>
    /// <param name="maskType">A for the first layer, B afterwards.</param>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output.</param>
    /// <param name="kernelSize">An odd kernel size, e.g. 7 for the first layer, 3 or 1 later.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="generator">Source of the initial values; <see cref="Init.DefaultGenerator"/> when null.</param>
    public MaskedConv2d(MaskType maskType, int inChannels, int outChannels, int kernelSize, bool bias = true, Generator? generator = null)
        : base(inChannels, outChannels, kernelSize, stride: 1, padding: kernelSize / 2, bias, generator)
    {
        if (kernelSize % 2 == 0)
        {
            throw new ArgumentException($"MaskedConv2d: kernelSize must be odd so that the kernel has a centre, got {kernelSize}.", nameof(kernelSize));
        }
        MaskType = maskType;
        _mask = Tensor.FromArray(BuildMask(maskType, inChannels, outChannels, kernelSize), outChannels, inChannels, kernelSize, kernelSize);
    }

    /// <summary>A or B.</summary>
    public MaskType MaskType { get; }

    /// <summary>The 0/1 mask, shape (outChannels, inChannels, k, k).</summary>
    public Tensor Mask => _mask;

    /// <summary>The convolution with weight * mask.</summary>
    /// <param name="input">Shape (N, inChannels, H, W).</param>
    /// <returns>Shape (N, outChannels, H, W).</returns>
    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight * _mask, Bias, Stride, Padding);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"{MaskType}, " + base.ExtraRepresentation;

    /// <summary>1 above the centre row, and in the centre row left of the centre (and at the centre for type B).</summary>
    private static float[] BuildMask(MaskType maskType, int inChannels, int outChannels, int kernelSize)
    {
        var centre = kernelSize / 2;
        var plane = new float[kernelSize * kernelSize];
        for (var i = 0; i < kernelSize; i++)
        {
            for (var j = 0; j < kernelSize; j++)
            {
                var visible = i < centre || i == centre && (j < centre || j == centre && maskType == MaskType.B);
                plane[i * kernelSize + j] = visible ? 1f : 0f;
            }
        }
        var mask = new float[outChannels * inChannels * plane.Length];
        for (var k = 0; k < outChannels * inChannels; k++)
        {
            plane.CopyTo(mask, k * plane.Length);
        }
        return mask;
    }
}
