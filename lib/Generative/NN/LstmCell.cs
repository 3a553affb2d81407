using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// One step of a long short-term memory network (PyTorch's <c>nn.LSTMCell</c>); see <see cref="Tensor.LstmCell"/> for
/// the equations (gates in PyTorch's order: input, forget, cell, output).
/// </summary>
/// <remarks>Initialised as PyTorch does: every parameter ~ U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), drawn in the
/// order weight_ih, weight_hh, bias_ih, bias_hh. Parameters: <c>weight_ih</c> (4 hiddenSize, inputSize),
/// <c>weight_hh</c> (4 hiddenSize, hiddenSize), <c>bias_ih</c> and <c>bias_hh</c> (4 hiddenSize).</remarks>
public sealed class LstmCell : Module<(Tensor Input, (Tensor Hidden, Tensor Cell)? State), (Tensor Hidden, Tensor Cell)>
{
    /// <summary>Creates the cell.</summary>
    public LstmCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        (InputSize, HiddenSize) = (inputSize, hiddenSize);
        var bound = 1 / Math.Sqrt(hiddenSize);
        WeightIh = Parameter(Init.Uniform(Tensor.Zeros(4 * hiddenSize, inputSize), -bound, bound, generator));
        WeightHh = Parameter(Init.Uniform(Tensor.Zeros(4 * hiddenSize, hiddenSize), -bound, bound, generator));
        BiasIh = bias ? Parameter(Init.Uniform(Tensor.Zeros(4 * hiddenSize), -bound, bound, generator)) : null;
        BiasHh = bias ? Parameter(Init.Uniform(Tensor.Zeros(4 * hiddenSize), -bound, bound, generator)) : null;
    }

    /// <summary>W_ih, shape (4 hiddenSize, inputSize).</summary>
    public Tensor WeightIh { get; }

    /// <summary>W_hh, shape (4 hiddenSize, hiddenSize).</summary>
    public Tensor WeightHh { get; }

    /// <summary>b_ih, shape (4 hiddenSize), or null.</summary>
    public Tensor? BiasIh { get; }

    /// <summary>b_hh, shape (4 hiddenSize), or null.</summary>
    public Tensor? BiasHh { get; }

    /// <summary>Size of each input row.</summary>
    public int InputSize { get; }

    /// <summary>Size of the hidden and cell states.</summary>
    public int HiddenSize { get; }

    /// <summary>One step from <paramref name="input"/> (N, inputSize) and the state (h, c), each (N, hiddenSize);
    /// zeros when <paramref name="state"/> is null.</summary>
    public (Tensor Hidden, Tensor Cell) Forward(Tensor input, (Tensor Hidden, Tensor Cell)? state = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Size(1) != InputSize)
        {
            throw new ArgumentException($"LstmCell: input must have shape (N, {InputSize}), got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }
        var (hidden, cell) = state ?? (Tensor.Zeros(input.Size(0), HiddenSize), Tensor.Zeros(input.Size(0), HiddenSize));
        return Tensor.LstmCell(input, hidden, cell, WeightIh, WeightHh, BiasIh, BiasHh);
    }

    /// <inheritdoc/>
    public override (Tensor Hidden, Tensor Cell) Forward((Tensor Input, (Tensor Hidden, Tensor Cell)? State) input) =>
        Forward(input.Input, input.State);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"{InputSize}, {HiddenSize}" + (BiasIh is null ? ", bias: false" : "");
}
