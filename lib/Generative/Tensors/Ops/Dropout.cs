namespace Generative.Tensors;

// Inverted dropout, composed: the output is x times a constant mask, so its gradient is the Mul primitive's.
public sealed partial class Tensor
{
    /// <summary>
    /// Inverted dropout (PyTorch's <c>dropout</c>, Srivastava et al. 2014): in training mode each element is zeroed
    /// with probability <paramref name="p"/> and the survivors are scaled by 1 / (1 - p), so the expected value is
    /// unchanged and evaluation needs no rescaling; outside training mode the input is returned as is.
    /// </summary>
    /// <remarks>The mask is drawn from <paramref name="generator"/> in row-major order, element i kept when
    /// <c>generator.Bernoulli(1 - p)</c> is true, so a seed fixes it. The gradient is the same mask times the
    /// output gradient.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public Tensor Dropout(float p, bool training, Generator generator)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability p must be in [0, 1], got {p}.");
        }
        ArgumentNullException.ThrowIfNull(generator);
        if (!training || p == 0f)
        {
            return this;
        }
        var mask = new float[Count];
        if (p < 1f)
        {
            var keep = 1.0 - p;
            var scale = (float)(1.0 / keep);
            for (var i = 0; i < mask.Length; i++)
            {
                mask[i] = generator.Bernoulli(keep) ? scale : 0f;
            }
        }
        return Mul(this, new Tensor(mask, (int[])_shape.Clone()));
    }
}
