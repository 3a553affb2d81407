using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// Inverted dropout (PyTorch's <c>nn.Dropout</c>): in training mode zeroes each element with probability p and scales
/// the rest by 1 / (1 - p); in evaluation mode passes the input through. See <see cref="Tensor.Dropout"/>.
/// </summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    [NotRegistered]
    private readonly Generator? _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">Probability of zeroing an element, in [0, 1].</param>
    /// <param name="generator">Source of the masks; <see cref="Init.DefaultGenerator"/> (read at each call) when null.</param>
    public Dropout(float p = 0.5f, Generator? generator = null)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability p must be in [0, 1], got {p}.");
        }
        P = p;
        _generator = generator;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <summary>Applies dropout in training mode; the identity in evaluation mode.</summary>
    public override Tensor Forward(Tensor input) => input.Dropout(P, Training, _generator ?? Init.DefaultGenerator);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"p: {P:g}";
}
