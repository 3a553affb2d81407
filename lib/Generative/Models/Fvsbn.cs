using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// The fully visible sigmoid belief network (Neal 1992, "Connectionist learning of belief networks"; Frey 1998): the
/// simplest autoregressive model of binary vectors, one logistic regression per dimension on the dimensions before it.
/// </summary>
/// <remarks>
/// <code>
/// p(x) = Π_d p(x_d | x_&lt;d),   p(x_d = 1 | x_&lt;d) = σ(b_d + Σ_{j&lt;d} W_dj x_j)
/// </code>
/// <para>
/// Dimension d has d − 1 weights and a bias, so the model has D + D(D − 1)/2 free parameters (307,720 for 28 x 28
/// images: <see cref="FreeParameterCount"/>). They are stored as a full D x D weight in a <see cref="MaskedLinear"/>
/// whose mask keeps only the strictly lower triangle (j &lt; d), so all D conditionals come from one matrix product;
/// the masked-out entries get zero gradient and never influence the output.
/// </para>
/// </remarks>
public sealed class Fvsbn : AutoregressiveModel
{
    private readonly MaskedLinear _conditionals;

    /// <summary>Creates the model with PyTorch's default linear-layer initialisation.</summary>
    /// <param name="dimensions">D, the length of each binary vector (784 for 28 x 28 images).</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Fvsbn(int dimensions, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        _conditionals = new MaskedLinear(dimensions, dimensions, bias: true, generator);
        _conditionals.SetMask(MaskedLinear.StrictlyLowerTriangle(dimensions));
    }

    /// <summary>D.</summary>
    public override int Dimensions { get; }

    /// <summary>The number of parameters the model really has, D + D(D − 1)/2: a bias per dimension and a weight per
    /// earlier dimension (the stored D x D weight's masked-out upper triangle is not counted).</summary>
    public long FreeParameterCount => Dimensions + (long)Dimensions * (Dimensions - 1) / 2;

    /// <summary>The masked layer: <c>Weight[d, j]</c> is W_dj (used only for j &lt; d), <c>Bias[d]</c> is b_d.</summary>
    public MaskedLinear Conditionals => _conditionals;

    /// <summary>The logits b_d + Σ_{j&lt;d} W_dj x_j of every conditional, in one matrix product.</summary>
    /// <param name="input">x, shape (N, D).</param>
    /// <returns>Shape (N, D).</returns>
    public override Tensor Forward(Tensor input)
    {
        return _conditionals.Forward(CheckInput(input));
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"dimensions: {Dimensions}";
}
