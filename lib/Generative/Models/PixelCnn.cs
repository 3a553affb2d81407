using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// PixelCNN (van den Oord, Kalchbrenner and Kavukcuoglu 2016, "Pixel Recurrent Neural Networks",
/// https://arxiv.org/abs/1601.06759, section 3.4) for binary images: a stack of masked convolutions that computes
/// every pixel's conditional p(x_i = 1 | x_&lt;i) in raster order in one pass.
/// </summary>
/// <remarks>
/// <para>Architecture (the paper's binarized-MNIST model, smaller by default):</para>
/// <code>
/// x (N, 1, H, W) → MaskedConv2d A KxK (1 → C; K = 7 in the paper) → [ReLU → MaskedConv2d B 3x3 (C → C)] × layers
///   → ReLU → 1x1 conv (C → C) → ReLU → 1x1 conv (C → 1) = logits (N, 1, H, W)
/// </code>
/// <para>
/// Mask A hides the centre pixel and everything after it in raster order, so the first layer's output at i sees only
/// x_&lt;i; mask B also shows the centre, which at later layers holds features of x_&lt;i only. A 1x1 convolution has
/// only its centre, so it needs no mask. Stacking 3x3 B layers grows the receptive field upwards and leftwards but
/// leaves a blind spot: pixels up and to the right of i that no path reaches (the gated PixelCNN fixed it with
/// separate vertical and horizontal stacks).
/// </para>
/// <para>Inputs and samples are flattened (N, H * W) binary vectors, like every <see cref="AutoregressiveModel"/>'s; the base class gives log p(x), the loss and
/// pixel-by-pixel sampling (H * W passes) from the logits.</para>
/// </remarks>
public sealed class PixelCnn : AutoregressiveModel
{
    private readonly MaskedConv2d _input;
    private readonly MaskedConv2d[] _hidden;
    private readonly Conv2d _outputHidden;
    private readonly Conv2d _output;

    /// <summary>Creates the network.</summary>
    /// <param name="height">Image height H.</param>
    /// <param name="width">Image width W.</param>
    /// <param name="channels">C, the feature maps of every hidden layer.</param>
    /// <param name="layers">How many 3x3 mask-B layers follow the mask-A layer.</param>
    /// <param name="inputKernel">The mask-A layer's odd kernel size: 7 in the paper.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public PixelCnn(int height = 28, int width = 28, int channels = 64, int layers = 5, int inputKernel = 7, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
        if (inputKernel < 1 || inputKernel % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputKernel), inputKernel,
                $"PixelCnn: inputKernel must be odd and at least 1 (the mask needs a centre pixel), got {inputKernel}.");
        }
        (Height, Width, Channels, Layers, InputKernel) = (height, width, channels, layers, inputKernel);
        _input = new MaskedConv2d(MaskType.A, 1, channels, inputKernel, generator: generator);
        _hidden = Enumerable.Range(0, layers).Select(_ => new MaskedConv2d(MaskType.B, channels, channels, 3, generator: generator)).ToArray();
        _outputHidden = new Conv2d(channels, channels, 1, generator: generator);
        _output = new Conv2d(channels, 1, 1, generator: generator);
    }

    /// <summary>H.</summary>
    public int Height { get; }

    /// <summary>W.</summary>
    public int Width { get; }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>The number of 3x3 mask-B layers.</summary>
    public int Layers { get; }

    /// <summary>The mask-A layer's kernel size.</summary>
    public int InputKernel { get; }

    /// <summary>D = H * W.</summary>
    public override int Dimensions => Height * Width;

    /// <summary>The logits of every pixel's conditional p(x_i = 1 | x_&lt;i), in one pass.</summary>
    /// <param name="input">x, shape (N, H * W), pixels in raster order.</param>
    /// <returns>Shape (N, H * W).</returns>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input, (Height, Width));
        var h = _input.Forward(input.Reshape(-1, 1, Height, Width));
        foreach (var layer in _hidden)
        {
            h = layer.Forward(h.Relu());
        }
        h = _outputHidden.Forward(h.Relu());
        return _output.Forward(h.Relu()).Reshape(-1, Dimensions);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"height: {Height}, width: {Width}, channels: {Channels}, layers: {Layers}, inputKernel: {InputKernel}";
}
