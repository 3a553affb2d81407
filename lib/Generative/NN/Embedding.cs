using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// A lookup table of learned vectors (PyTorch's <c>nn.Embedding</c>): <c>out[..., :] = weight[indices[...], :]</c>.
/// See <see cref="Tensor.Embedding"/>.
/// </summary>
/// <remarks>Initialised as PyTorch does: weight ~ N(0, 1). Parameter: <c>weight</c> (numEmbeddings, embeddingDim).</remarks>
public sealed class Embedding : Module<Tensor, Tensor>
{
    /// <summary>Creates the table.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingDim);
        (NumEmbeddings, EmbeddingDim) = (numEmbeddings, embeddingDim);
        Weight = Parameter(Init.Normal(Tensor.Zeros(numEmbeddings, embeddingDim), 0, 1, generator));
    }

    /// <summary>Shape (numEmbeddings, embeddingDim).</summary>
    public Tensor Weight { get; }

    /// <summary>Number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Length of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>Looks up rows.</summary>
    /// <param name="input">Whole-number indices in [0, numEmbeddings), any shape.</param>
    /// <returns>Shape (input's shape, embeddingDim).</returns>
    public override Tensor Forward(Tensor input) => Tensor.Embedding(input, Weight);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"{NumEmbeddings}, {EmbeddingDim}";
}
