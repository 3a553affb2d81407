using Generative.Tensors;

namespace Generative.Training;

/// <summary>A data set cut into shuffled mini-batches, as both training loops use it: its rows copied once, then each
/// step's batch gathered from them in the epoch's order.</summary>
internal sealed class MiniBatches
{
    private readonly float[] _rows;
    private readonly int _rowLength;
    private readonly int[] _exampleShape;
    private readonly int _batchSize;

    /// <summary>Prepares the data for mini-batches.</summary>
    /// <param name="data">The examples, shape (N, ...).</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="loop">The caller's name for the error message, e.g. "Trainer.Fit".</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no examples.</exception>
    public MiniBatches(Tensor data, int batchSize, string loop)
    {
        if (data.Rank == 0 || data.Size(0) == 0)
        {
            throw new ArgumentException($"{loop}: data of shape {Tensor.FormatShape(data.Shape)} has no examples; expected (N, ...) with N >= 1.", nameof(data));
        }
        Count = data.Size(0);
        StepsPerEpoch = (Count + batchSize - 1) / batchSize;
        (_rows, _rowLength, _exampleShape, _batchSize) = (data.ToArray(), data.Count / Count, data.Shape[1..], batchSize);
    }

    /// <summary>N, the number of examples.</summary>
    public int Count { get; }

    /// <summary>Batches per epoch; the last may be partial.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The batch of step <paramref name="step"/> (1-based): examples order[(step − 1) · B ..], shape (size, ...).</summary>
    public Tensor Take(int[] order, int step)
    {
        var start = (step - 1) * _batchSize;
        var size = Math.Min(_batchSize, Count - start);
        var batch = new float[size * _rowLength];
        for (var i = 0; i < size; i++)
        {
            Array.Copy(_rows, order[start + i] * _rowLength, batch, i * _rowLength, _rowLength);
        }
        return Tensor.FromArray(batch, [size, .. _exampleShape]);
    }
}
