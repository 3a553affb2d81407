using Generative.Tensors.Kernels;
using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// An autoregressive model of binary vectors (FVSBN, NADE, MADE, PixelCNN, Row LSTM): the chain rule
/// p(x) = Π_d p(x_d | x_&lt;d) with each conditional a Bernoulli whose logit the model computes from x_&lt;d.
/// </summary>
/// <remarks>
/// <para>A model supplies <see cref="Forward"/>, all D logits in one pass given x (teacher forcing); the likelihood,
/// the loss and sampling follow from the logits the same way for every model, so they are written once here:</para>
/// <code>
/// log p(x) = Σ_d log Bernoulli(x_d; σ(logit_d)) = −Σ_d BCE(logit_d, x_d)
/// sample:    for d = 1..D:  x_d ~ Bernoulli(σ(Forward(x)_d))      (D passes, one dimension fixed per pass)
/// </code>
/// <para>A model with a faster way overrides them (NADE's fused likelihood and O(DH) sampler). Because the likelihood
/// is exact, <see cref="DensityModel.LogProb"/> is the density itself (no bound) and training minimises
/// <see cref="DensityModel.Loss"/> (maximum likelihood).</para>
/// </remarks>
public abstract class AutoregressiveModel : DensityModel
{
    /// <summary>The logits of every conditional p(x_d = 1 | x_&lt;d) given x (teacher forcing).</summary>
    /// <param name="input">x, shape (N, D).</param>
    /// <returns>Shape (N, D).</returns>
    public abstract Tensor Forward(Tensor input);

    /// <summary>log p(x) in nats for each example: Σ_d log p(x_d | x_&lt;d) = −Σ_d BCE(logit_d, x_d).</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    /// <returns>Shape (N).</returns>
    public override Tensor LogProb(Tensor x) =>
        Losses.BinaryCrossEntropyWithLogits(Forward(x), x, Reduction.None).Sum(1).Neg();

    /// <summary>The training loss: the mean negative log-likelihood −(1/N) Σ_n log p(x_n), in nats.</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    public override Tensor Loss(Tensor x) =>
        Losses.BinaryCrossEntropyWithLogits(Forward(x), x, Reduction.Sum).Div(x.Size(0));

    /// <summary>Draws <paramref name="count"/> vectors by ancestral sampling: D passes of <see cref="Forward"/>, the
    /// d-th fixing x_d from its conditional given the dimensions already drawn (one pass evaluates every dimension of
    /// a batch; generating needs one pass per dimension). Not recorded for autograd.</summary>
    /// <returns>Shape (count, D), values 0 or 1.</returns>
    public override Tensor Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        return SampleFrom(new float[count * Dimensions], count, 0, generator);
    }

    /// <summary>Completes vectors whose first <paramref name="givenDimensions"/> entries are known: keeps them and draws
    /// the rest from p(x_d | x_&lt;d), d = given + 1 … D, as <see cref="Sample"/> draws all of them (for images in raster
    /// order, given the top rows, the model paints the rest). Not recorded for autograd.</summary>
    /// <param name="given">Shape (N, D); entries from <paramref name="givenDimensions"/> on are ignored.</param>
    /// <param name="givenDimensions">How many leading entries are known, in [0, D].</param>
    /// <param name="generator">Source of the draws.</param>
    /// <returns>Shape (N, D): the given entries, then values 0 or 1.</returns>
    public Tensor Complete(Tensor given, int givenDimensions, Generator generator)
    {
        CheckInput(given);
        ArgumentOutOfRangeException.ThrowIfNegative(givenDimensions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(givenDimensions, Dimensions);
        ArgumentNullException.ThrowIfNull(generator);
        var count = given.Size(0);
        var samples = given.ToArray();
        for (var n = 0; n < count; n++)
        {
            Array.Clear(samples, n * Dimensions + givenDimensions, Dimensions - givenDimensions); // unknown: never read before drawn
        }
        return SampleFrom(samples, count, givenDimensions, generator);
    }

    /// <summary>Draws dimensions <paramref name="start"/> … D − 1 of <paramref name="samples"/> (count rows) in order.</summary>
    private Tensor SampleFrom(float[] samples, int count, int start, Generator generator)
    {
        var dimensions = Dimensions;
        using (Tensor.NoGrad())
        {
            for (var d = start; d < dimensions; d++)
            {
                var logits = Forward(Tensor.FromArray(samples, count, dimensions)).ToArray();
                for (var n = 0; n < count; n++)
                {
                    double probability = Reproducible.Sigmoid(logits[n * dimensions + d]);
                    samples[n * dimensions + d] = generator.Bernoulli(probability) ? 1f : 0f;
                }
            }
        }
        return Tensor.FromArray(samples, count, dimensions);
    }
}
