using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// A fully connected layer (PyTorch's <c>nn.Linear</c>): <c>y = x W^T + b</c>.
/// </summary>
/// <remarks>Initialised as PyTorch does: W and b ~ U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)), W drawn first, in
/// row-major order. Parameters: <c>weight</c> (outFeatures, inFeatures), <c>bias</c> (outFeatures).</remarks>
public class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">Size of each input row.</param>
    /// <param name="outFeatures">Size of each output row.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="generator">Source of the initial values; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var bound = 1 / Math.Sqrt(inFeatures);
        Weight = Parameter(Init.Uniform(Tensor.Zeros(outFeatures, inFeatures), -bound, bound, generator));
        Bias = bias ? Parameter(Init.Uniform(Tensor.Zeros(outFeatures), -bound, bound, generator)) : null;
    }

    /// <summary>W, shape (outFeatures, inFeatures).</summary>
    public Tensor Weight { get; }

    /// <summary>b, shape (outFeatures), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Size of each input row.</summary>
    public int InFeatures { get; }

    /// <summary>Size of each output row.</summary>
    public int OutFeatures { get; }

    /// <summary>y = x W^T + b.</summary>
    /// <param name="input">Shape (*, inFeatures).</param>
    /// <returns>Shape (*, outFeatures).</returns>
    public override Tensor Forward(Tensor input) => Affine(input, Weight);

    /// <summary><c>input (W ⊙ M)^T + b</c>: the weight times an optional mask of its shape (MaskedLinear passes its
    /// mask; the masked op never materialises W ⊙ M in the graph).</summary>
    private protected Tensor Affine(Tensor input, Tensor weight, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Size(-1) != InFeatures)
        {
            throw new ArgumentException(
                $"{GetType().Name}: input of shape {Tensor.FormatShape(input.Shape)} must end in inFeatures = {InFeatures}.", nameof(input));
        }
        // Tensor.Linear takes rows: fold every leading dimension into one (a view when the input allows).
        var rows = input.Rank == 2 ? input : input.Reshape(-1, InFeatures);
        var output = mask is null ? Tensor.Linear(rows, weight, Bias) : Tensor.MaskedLinear(rows, weight, mask, Bias);
        if (input.Rank == 2)
        {
            return output;
        }
        var shape = input.Shape;
        shape[^1] = OutFeatures;
        return output.Reshape(shape);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"inFeatures: {InFeatures}, outFeatures: {OutFeatures}, bias: {(Bias is not null ? "true" : "false")}";
}
