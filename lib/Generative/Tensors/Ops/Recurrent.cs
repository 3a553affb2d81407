namespace Generative.Tensors;

// Embedding lookup, the LSTM cell and its state update, composed from primitives (IndexSelect, MatMul, Narrow, Sigmoid, Tanh, Mul,
// Add), so their gradients are those primitives' gradients.
public sealed partial class Tensor
{
    /// <summary>
    /// Embedding lookup (PyTorch's <c>embedding</c>): <c>out[..., :] = weight[indices[...], :]</c>, an
    /// <see cref="IndexSelect(int, int[])"/> of rows. A row picked several times gets the sum of their gradients.
    /// </summary>
    /// <param name="indices">Whole numbers in [0, numEmbeddings), any shape.</param>
    /// <param name="weight">Shape (numEmbeddings, embeddingDim).</param>
    /// <returns>Shape (indices' shape, embeddingDim).</returns>
    public static Tensor Embedding(Tensor indices, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
        {
            throw new ArgumentException($"Embedding: weight must have shape (numEmbeddings, embeddingDim), got {FormatShape(weight._shape)}.", nameof(weight));
        }
        var rows = weight.IndexSelect(0, ToIndices("Embedding", indices));
        var shape = new int[indices.Rank + 1];
        indices._shape.CopyTo(shape, 0);
        shape[^1] = weight._shape[1];
        return rows.Reshape(shape);
    }

    /// <summary>
    /// One step of an LSTM (PyTorch's <c>LSTMCell</c>, Hochreiter and Schmidhuber 1997), gates in PyTorch's order
    /// input, forget, cell, output:
    /// <c>[i, f, g, o] = x W_ih^T + b_ih + h W_hh^T + b_hh</c>;
    /// <c>c' = sigmoid(f) * c + sigmoid(i) * tanh(g)</c>; <c>h' = sigmoid(o) * tanh(c')</c>.
    /// </summary>
    /// <param name="input">x, shape (N, inputSize).</param>
    /// <param name="hidden">h, shape (N, hiddenSize).</param>
    /// <param name="cell">c, shape (N, hiddenSize).</param>
    /// <param name="weightIh">W_ih, shape (4 * hiddenSize, inputSize).</param>
    /// <param name="weightHh">W_hh, shape (4 * hiddenSize, hiddenSize).</param>
    /// <param name="biasIh">b_ih, shape (4 * hiddenSize), or null.</param>
    /// <param name="biasHh">b_hh, shape (4 * hiddenSize), or null.</param>
    /// <returns>The next hidden and cell states, each (N, hiddenSize).</returns>
    public static (Tensor Hidden, Tensor Cell) LstmCell(Tensor input, Tensor hidden, Tensor cell, Tensor weightIh, Tensor weightHh,
        Tensor? biasIh = null, Tensor? biasHh = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(weightIh);
        ArgumentNullException.ThrowIfNull(weightHh);
        if (weightIh.Rank != 2 || weightHh.Rank != 2 || weightIh._shape[0] % 4 != 0 || weightHh._shape[0] != weightIh._shape[0]
            || weightHh._shape[1] * 4 != weightHh._shape[0])
        {
            throw new ArgumentException(
                $"LstmCell: weightIh {FormatShape(weightIh._shape)} and weightHh {FormatShape(weightHh._shape)} must have shapes " +
                "(4 * hiddenSize, inputSize) and (4 * hiddenSize, hiddenSize).", nameof(weightHh));
        }
        var hiddenSize = weightHh._shape[1];
        if (!hidden._shape.AsSpan().SequenceEqual(cell._shape) || hidden.Rank != 2 || hidden._shape[1] != hiddenSize
            || hidden._shape[0] != input._shape[0])
        {
            throw new ArgumentException(
                $"LstmCell: hidden {FormatShape(hidden._shape)} and cell {FormatShape(cell._shape)} must both have shape (N, {hiddenSize}) " +
                $"for input {FormatShape(input._shape)}.", nameof(hidden));
        }
        var gates = input.MatMul(weightIh.T) + hidden.MatMul(weightHh.T);
        if (biasIh is not null) gates += biasIh;
        if (biasHh is not null) gates += biasHh;
        return LstmUpdate(gates.Narrow(1, 0, hiddenSize), gates.Narrow(1, hiddenSize, hiddenSize),
            gates.Narrow(1, 2 * hiddenSize, hiddenSize), gates.Narrow(1, 3 * hiddenSize, hiddenSize), cell);
    }

    /// <summary>
    /// The LSTM's state update from its four gate pre-activations, the one place the gate math is written (the LSTM cell
    /// and PixelRNN's Row LSTM both call it; each lays its gates out in its own order and passes them by name):
    /// <c>c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)</c>, <c>h' = σ(o) ⊙ tanh(c')</c>.
    /// </summary>
    /// <param name="inputGate">i before its sigmoid, shape (N, H).</param>
    /// <param name="forgetGate">f before its sigmoid, shape (N, H).</param>
    /// <param name="candidate">g before its tanh, shape (N, H).</param>
    /// <param name="outputGate">o before its sigmoid, shape (N, H).</param>
    /// <param name="cell">c, shape (N, H).</param>
    /// <returns>The next hidden and cell states h' and c', each (N, H).</returns>
    public static (Tensor Hidden, Tensor Cell) LstmUpdate(Tensor inputGate, Tensor forgetGate, Tensor candidate, Tensor outputGate, Tensor cell)
    {
        ArgumentNullException.ThrowIfNull(inputGate);
        ArgumentNullException.ThrowIfNull(forgetGate);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(outputGate);
        ArgumentNullException.ThrowIfNull(cell);
        var nextCell = forgetGate.Sigmoid() * cell + inputGate.Sigmoid() * candidate.Tanh();
        var nextHidden = outputGate.Sigmoid() * nextCell.Tanh();
        return (nextHidden, nextCell);
    }
}
