using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// A linear layer whose weight is multiplied elementwise by a fixed 0/1 mask, <c>y = x (W * M)^T + b</c>: MADE's
/// building block (Germain et al. 2015, https://arxiv.org/abs/1502.03509), where the masks cut every path from input d
/// to the outputs for dimensions up to d, so the network is autoregressive.
/// </summary>
/// <remarks>The mask is a buffer named <c>mask</c> of the weight's shape (outFeatures, inFeatures), all ones until
/// <see cref="SetMask"/>; it is saved and loaded with the parameters. Masked-out weights get zero gradient.</remarks>
public sealed class MaskedLinear : Linear
{
    [Buffer]
    private readonly Tensor _mask;

    /// <summary>Creates the layer with an all-ones mask (an ordinary <see cref="Linear"/> until <see cref="SetMask"/>).</summary>
    public MaskedLinear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
        : base(inFeatures, outFeatures, bias, generator)
    {
        _mask = Tensor.Ones(outFeatures, inFeatures);
    }

    /// <summary>M, shape (outFeatures, inFeatures): M[o, i] = 1 keeps the connection from input i to output o.</summary>
    public Tensor Mask => _mask;

    /// <summary>Copies <paramref name="mask"/> (shape (outFeatures, inFeatures), usually 0/1) into the mask buffer.</summary>
    /// <exception cref="ArgumentException">The shape differs from the weight's.</exception>
    public void SetMask(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (!mask.Shape.AsSpan().SequenceEqual([OutFeatures, InFeatures]))
        {
            throw new ArgumentException(
                $"MaskedLinear.SetMask: mask of shape {Tensor.FormatShape(mask.Shape)} must have the weight's shape ({OutFeatures}, {InFeatures}) " +
                "(outFeatures, inFeatures); transpose an (in, out) mask first.", nameof(mask));
        }
        _mask.CopyFrom(mask.Detach());
    }

    /// <summary>The mask of one fixed ordering, shape (size, size): row d keeps the inputs j &lt; d (the strictly lower
    /// triangle), so output d sees only the variables before it; FVSBN's weights and RNADE's hidden layers use it.</summary>
    public static Tensor StrictlyLowerTriangle(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var mask = new float[size * size];
        for (var d = 0; d < size; d++)
        {
            mask.AsSpan(d * size, d).Fill(1f);
        }
        return Tensor.FromArray(mask, size, size);
    }

    /// <summary>y = x (W * M)^T + b.</summary>
    /// <param name="input">Shape (*, inFeatures).</param>
    /// <returns>Shape (*, outFeatures).</returns>
    public override Tensor Forward(Tensor input) => Affine(input, Weight, _mask);
}
