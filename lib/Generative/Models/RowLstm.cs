using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// PixelRNN's Row LSTM (van den Oord, Kalchbrenner and Kavukcuoglu 2016, "Pixel Recurrent Neural Networks",
/// https://arxiv.org/abs/1601.06759, section 3.1) for binary images, with one recurrent layer: an LSTM that runs down
/// the image one row at a time, every pixel of a row updated in parallel.
/// </summary>
/// <remarks>
/// <para>For row r, with h and c the hidden and cell states of shape (W, H) per image:</para>
/// <code>
/// [o, f, i, g] = σ, σ, σ, tanh( K_ss ⊛ h_{r−1} + K_is ⊛ x_r ),   c_r = f ⊙ c_{r−1} + i ⊙ g,   h_r = o ⊙ tanh(c_r)
/// logit(x_{r,j}) = w · relu(h_r[j]) + b
/// </code>
/// <para>
/// The state-to-state convolution K_ss has width 3 along the row: h_r[j] sees h_{r−1}[j−1 .. j+1], so information
/// from the rows above arrives in a triangle that widens by one pixel on each side per row. The input-to-state
/// convolution is masked (type A) so that pixel (r, j) sees only x_{r, j−1} of its own row: with one input channel and
/// width 3, that leaves the single tap on the left. Pixels further left on the same row, and pixels above and to the
/// right outside the triangle, are not seen: the Row LSTM's receptive field is incomplete, which the Diagonal BiLSTM
/// fixes.
/// </para>
/// <para>Inputs and samples are flattened (N, H * W) binary vectors, like every <see cref="AutoregressiveModel"/>'s; the base class gives log p(x), the loss and
/// pixel-by-pixel sampling (H * W passes) from the logits.</para>
/// </remarks>
public sealed class RowLstm : AutoregressiveModel
{
    private readonly Linear _inputToState;
    private readonly Linear _stateToState;
    private readonly Linear _output;

    /// <summary>Creates the network.</summary>
    /// <param name="height">Image height H.</param>
    /// <param name="width">Image width W.</param>
    /// <param name="hiddenSize">The LSTM's state size per pixel.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public RowLstm(int height = 28, int width = 28, int hiddenSize = 32, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        (Height, Width, HiddenSize) = (height, width, hiddenSize);
        _inputToState = new Linear(1, 4 * hiddenSize, generator: generator);
        _stateToState = new Linear(3 * hiddenSize, 4 * hiddenSize, generator: generator);
        _output = new Linear(hiddenSize, 1, generator: generator);
    }

    /// <summary>H.</summary>
    public int Height { get; }

    /// <summary>W.</summary>
    public int Width { get; }

    /// <summary>The state size per pixel.</summary>
    public int HiddenSize { get; }

    /// <summary>D = H * W.</summary>
    public override int Dimensions => Height * Width;

    /// <summary>The logits of every pixel's conditional, row by row through the LSTM.</summary>
    /// <param name="input">x, shape (N, H * W), pixels in raster order.</param>
    /// <returns>Shape (N, H * W).</returns>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input, (Height, Width));
        int n = input.Size(0), h = HiddenSize;
        // Input-to-state for every pixel at once: the masked width-3 kernel keeps only the left tap, so pixel (r, j)
        // gets x[r, j − 1] (0 at the left edge): shift every row right by one.
        var images = input.Reshape(n, Height, Width);
        var shifted = Tensor.Cat([Tensor.Zeros(n, Height, 1), images.Narrow(2, 0, Width - 1)], 2);
        var inputGates = _inputToState.Forward(shifted.Reshape(n * Height * Width, 1)).Reshape(n, Height, Width * 4 * h);

        var hidden = Tensor.Zeros(n, Width, h);
        var cell = Tensor.Zeros(n * Width, h);
        var rows = new List<Tensor>(Height);
        var edge = Tensor.Zeros(n, 1, h);
        for (var r = 0; r < Height; r++)
        {
            // State-to-state: each pixel reads h_{r−1} at j − 1, j, j + 1 (zeros beyond the edges).
            var padded = Tensor.Cat([edge, hidden, edge], 1);
            var neighbours = Tensor.Cat([padded.Narrow(1, 0, Width), padded.Narrow(1, 1, Width), padded.Narrow(1, 2, Width)], 2);
            var gates = _stateToState.Forward(neighbours.Reshape(n * Width, 3 * h)) + inputGates.Select(1, r).Reshape(n * Width, 4 * h);
            // The paper's gate order [o, f, i, g] (the weights' layout); the update itself is the LSTM's, Tensor.LstmUpdate.
            (var state, cell) = Tensor.LstmUpdate(inputGate: gates.Narrow(1, 2 * h, h), forgetGate: gates.Narrow(1, h, h),
                candidate: gates.Narrow(1, 3 * h, h), outputGate: gates.Narrow(1, 0, h), cell);
            hidden = state.Reshape(n, Width, h);
            rows.Add(hidden);
        }
        var states = Tensor.Stack(rows, 1).Reshape(n * Height * Width, h);
        return _output.Forward(states.Relu()).Reshape(n, Dimensions);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"height: {Height}, width: {Width}, hiddenSize: {HiddenSize}";
}
