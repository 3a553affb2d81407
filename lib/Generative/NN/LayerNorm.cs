using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// Layer normalisation over the trailing dimensions (PyTorch's <c>nn.LayerNorm</c>, Ba et al. 2016), the same in
/// training and evaluation; see <see cref="Tensor.LayerNorm"/>. Parameters <c>weight</c> (ones) and <c>bias</c>
/// (zeros) of the normalized shape when elementwise-affine.
/// </summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly int[] _normalizedShape;

    /// <summary>Normalises over the last dimension, of size <paramref name="normalizedSize"/>.</summary>
    public LayerNorm(int normalizedSize, float eps = 1e-5f, bool elementwiseAffine = true)
        : this([normalizedSize], eps, elementwiseAffine)
    {
    }

    /// <summary>Normalises over the last <c>normalizedShape.Length</c> dimensions, which must equal <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(size => size <= 0))
        {
            throw new ArgumentException($"LayerNorm: normalizedShape must be non-empty with positive sizes, got {Tensor.FormatShape(normalizedShape)}.", nameof(normalizedShape));
        }
        _normalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        Weight = elementwiseAffine ? Parameter(Tensor.Ones(normalizedShape)) : null;
        Bias = elementwiseAffine ? Parameter(Tensor.Zeros(normalizedShape)) : null;
    }

    /// <summary>gamma, of the normalized shape, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>beta, of the normalized shape, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>The trailing dimensions normalised over (a copy).</summary>
    public int[] NormalizedShape => (int[])_normalizedShape.Clone();

    /// <summary>Added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>Normalises each group.</summary>
    /// <param name="input">Shape (*, normalizedShape).</param>
    public override Tensor Forward(Tensor input) => Tensor.LayerNorm(input, _normalizedShape, Weight, Bias, Eps);

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"{Tensor.FormatShape(_normalizedShape)}, eps: {Eps:g}, elementwiseAffine: {(Weight is not null ? "true" : "false")}";
}
