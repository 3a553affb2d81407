using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// Gated PixelCNN (van den Oord, Kalchbrenner, Vinyals, Espeholt, Graves and Kavukcuoglu 2016, "Conditional Image
/// Generation with PixelCNN Decoders", https://arxiv.org/abs/1606.05328, section 2) for binary images: PixelCNN without
/// the blind spot. Every pixel's conditional p(x_i = 1 | x_&lt;i) in raster order, in one pass.
/// </summary>
/// <remarks>
/// <para>Two stacks replace <see cref="PixelCnn"/>'s masked convolutions. The <b>vertical</b> stack's kernel covers
/// the rows above its position and its own row, across the full kernel width: (k/2 + 1) x k, so its receptive field is
/// a rectangle that grows upwards and to both sides. The <b>horizontal</b> stack's kernel covers only its own row, up
/// to its position (1 x (k/2 + 1)), or strictly left of it in the first layer (1 x k/2, mask A). The vertical stack
/// feeds the horizontal one through a 1x1 convolution after a <b>down-shift</b> by one row, so that position (r, c)
/// receives vertical features of rows &lt; r only; they saw the image's current row, which must not reach the
/// horizontal stack. Each stack's 2C pre-activations are gated, tanh(a) ⊙ σ(b), and the horizontal stack adds a 1x1
/// convolution and a residual connection. The vertical stack never reads the horizontal one, so no future pixel leaks.</para>
/// <code>
/// v₀ = h₀ = x (N, 1, H, W); for ℓ = 1 … layers + 1 (the first with kernel k = inputKernel and mask A, then k = 3):
///   pv = Vertical_ℓ(vₗ₋₁)                                   (N, 2C, H, W), rows r − k/2 … r, columns c − k/2 … c + k/2
///   vₗ = tanh(pv[:C]) ⊙ σ(pv[C:])
///   ph = Horizontal_ℓ(hₗ₋₁) + Link_ℓ(DownShift(pv))          row r, columns c − k/2 … c (… c − 1 for mask A)
///   hₗ = Out_ℓ(tanh(ph[:C]) ⊙ σ(ph[C:])) + hₗ₋₁              (no residual in the first layer: 1 channel in, C out)
/// logits = 1x1 (C → 1) ∘ ReLU ∘ 1x1 (C → C) ∘ ReLU (h_last)   (as PixelCnn)
/// </code>
/// <para>Receptive field of pixel (r, c) with k₀ = inputKernel and L = layers: the whole rectangle of rows
/// r − k₀/2 − L − 1 … r − 1 and columns c − k₀/2 − L … c + k₀/2 + L, and on row r the columns c − k₀/2 − L … c − 1
/// (clipped to the image).</para>
/// <para>Inputs and samples are flattened (N, H * W) binary vectors, like every <see cref="AutoregressiveModel"/>'s.</para>
/// </remarks>
public sealed class GatedPixelCnn : AutoregressiveModel
{
    private readonly Conv2d[] _vertical;
    private readonly Conv2d[] _horizontal;
    private readonly Conv2d[] _link;
    private readonly Conv2d[] _horizontalOutput;
    private readonly Conv2d _outputHidden;
    private readonly Conv2d _output;

    /// <summary>Creates the network.</summary>
    /// <param name="height">Image height H.</param>
    /// <param name="width">Image width W.</param>
    /// <param name="channels">C, the feature maps of each stack (the gates compute 2C pre-activations).</param>
    /// <param name="layers">How many gated 3x3 layers follow the first gated layer.</param>
    /// <param name="inputKernel">The first layer's odd kernel size k₀ ≥ 3: its vertical kernel is (k₀/2 + 1) x k₀, its
    /// horizontal one 1 x k₀/2.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public GatedPixelCnn(int height = 28, int width = 28, int channels = 16, int layers = 3, int inputKernel = 7, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(layers);
        if (inputKernel < 3 || inputKernel % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputKernel), inputKernel,
                $"GatedPixelCnn: inputKernel must be odd and at least 3 (mask A needs a pixel left of the centre), got {inputKernel}.");
        }
        (Height, Width, Channels, Layers, InputKernel) = (height, width, channels, layers, inputKernel);
        var count = layers + 1;
        (_vertical, _horizontal, _link, _horizontalOutput) = (new Conv2d[count], new Conv2d[count], new Conv2d[count], new Conv2d[count]);
        for (var layer = 0; layer < count; layer++)
        {
            var (inChannels, kernel) = layer == 0 ? (1, inputKernel) : (channels, 3);
            _vertical[layer] = new Conv2d(inChannels, 2 * channels, (kernel / 2 + 1, kernel), padding: kernel / 2, generator: generator);
            _horizontal[layer] = new Conv2d(inChannels, 2 * channels, (1, layer == 0 ? kernel / 2 : kernel / 2 + 1), padding: kernel / 2, generator: generator);
            _link[layer] = new Conv2d(2 * channels, 2 * channels, 1, generator: generator);
            _horizontalOutput[layer] = new Conv2d(channels, channels, 1, generator: generator);
        }
        _outputHidden = new Conv2d(channels, channels, 1, generator: generator);
        _output = new Conv2d(channels, 1, 1, generator: generator);
    }

    /// <summary>H.</summary>
    public int Height { get; }

    /// <summary>W.</summary>
    public int Width { get; }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>The number of gated 3x3 layers after the first.</summary>
    public int Layers { get; }

    /// <summary>The first layer's kernel size k₀.</summary>
    public int InputKernel { get; }

    /// <summary>D = H * W.</summary>
    public override int Dimensions => Height * Width;

    /// <summary>The logits of every pixel's conditional p(x_i = 1 | x_&lt;i), in one pass.</summary>
    /// <param name="input">x, shape (N, H * W), pixels in raster order.</param>
    /// <returns>Shape (N, H * W).</returns>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input, (Height, Width));
        var image = input.Reshape(-1, 1, Height, Width);
        var (vertical, horizontal) = (image, image);
        for (var layer = 0; layer <= Layers; layer++)
        {
            var verticalPre = VerticalConvolution(layer, vertical);
            var horizontalPre = HorizontalConvolution(layer, horizontal) + _link[layer].Forward(DownShift(verticalPre));
            var horizontalOut = _horizontalOutput[layer].Forward(Gate(horizontalPre));
            horizontal = layer == 0 ? horizontalOut : horizontalOut + horizontal;
            if (layer < Layers)
            {
                vertical = Gate(verticalPre);   // the last layer's vertical output would feed nothing
            }
        }
        var h = _outputHidden.Forward(horizontal.Relu());
        return _output.Forward(h.Relu()).Reshape(-1, Dimensions);
    }

    /// <summary>Rows r − k/2 … r, columns c − k/2 … c + k/2: with padding k/2 on every side, output row r of the
    /// (k/2 + 1) x k kernel reads image rows r − k/2 … r (the rows above the image are padding); the k/2 extra output
    /// rows at the bottom would read below the image and are dropped.</summary>
    private Tensor VerticalConvolution(int layer, Tensor input) =>
        _vertical[layer].Forward(input).Narrow(2, 0, Height);

    /// <summary>Row r, columns c − k/2 … c (… c − 1 in the first layer): with padding k/2 on every side the 1-row kernel's
    /// output row r + k/2 is image row r and its output column c reads columns c − k/2 onwards; the columns beyond W are
    /// dropped.</summary>
    private Tensor HorizontalConvolution(int layer, Tensor input)
    {
        var padding = _horizontal[layer].Padding;
        return _horizontal[layer].Forward(input).Narrow(2, padding, Height).Narrow(3, 0, Width);
    }

    /// <summary>Row r receives row r − 1; row 0 receives zeros (nothing is above it).</summary>
    private Tensor DownShift(Tensor features)
    {
        var top = Tensor.Zeros(features.Size(0), features.Size(1), 1, Width);
        return Height == 1 ? top : Tensor.Cat([top, features.Narrow(2, 0, Height - 1)], dim: 2);
    }

    /// <summary>tanh(a) ⊙ σ(b) for the halves a, b of the 2C channels.</summary>
    private Tensor Gate(Tensor preActivation) =>
        preActivation.Narrow(1, 0, Channels).Tanh() * preActivation.Narrow(1, Channels, Channels).Sigmoid();

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"height: {Height}, width: {Width}, channels: {Channels}, layers: {Layers}, inputKernel: {InputKernel}";
}
