using Generative.Tensors;

namespace Generative.Training;

/// <summary>Cutting shuffled mini-batches out of a data set's rows, as both training loops do.</summary>
internal static class MiniBatch
{
    /// <summary>Rows <paramref name="order"/>[start] .. order[start + size − 1] of <paramref name="rows"/> (each
    /// <paramref name="rowLength"/> values) as a tensor of shape (size, ..exampleShape).</summary>
    public static Tensor Gather(float[] rows, int rowLength, int[] order, int start, int size, int[] exampleShape)
    {
        var batch = new float[size * rowLength];
        for (var i = 0; i < size; i++)
        {
            Array.Copy(rows, order[start + i] * rowLength, batch, i * rowLength, rowLength);
        }
        return Tensor.FromArray(batch, [size, .. exampleShape]);
    }
}
