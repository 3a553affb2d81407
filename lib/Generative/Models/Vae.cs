using Generative.Tensors.Kernels;
using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// The variational autoencoder (Kingma and Welling 2013, "Auto-Encoding Variational Bayes",
/// https://arxiv.org/abs/1312.6114) for binary vectors, with MLP encoder and decoder.
/// </summary>
/// <remarks>
/// <para>Factorisation and bound:</para>
/// <code>
/// p(x) = ∫ p(z) p(x | z) dz,   p(z) = N(0, I),   p(x | z) = Π_d Bernoulli(x_d; σ(decoder(z)_d))
/// q(z | x) = N(μ(x), diag σ²(x))   (the encoder outputs μ and log σ²)
/// log p(x) ≥ ELBO(x) = E_q[log p(x | z)] − KL(q(z | x) ‖ p(z))
/// </code>
/// <para>
/// The expectation is estimated with one reparameterised draw z = μ + σ ⊙ ε, ε ~ N(0, I), so gradients flow
/// through μ and σ; the KL term is in closed form (<see cref="Losses.GaussianKL"/>). Architecture (the paper's MNIST
/// model with ReLU): encoder D → H (ReLU) → (Z means, Z log-variances); decoder Z → H (ReLU) → D logits.
/// </para>
/// </remarks>
public sealed class Vae : LatentVariableModel
{
    private readonly Sequential _encoder;
    private readonly Linear _mean;
    private readonly Linear _logVar;
    private readonly Sequential _decoder;

    /// <summary>Creates the model.</summary>
    /// <param name="dimensions">D, the length of each binary vector.</param>
    /// <param name="hiddenUnits">H, the width of the encoder's and the decoder's hidden layer.</param>
    /// <param name="latentDimensions">Z, the number of latent dimensions.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Vae(int dimensions = 784, int hiddenUnits = 400, int latentDimensions = 20, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenUnits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentDimensions);
        (Dimensions, HiddenUnits, LatentDimensions) = (dimensions, hiddenUnits, latentDimensions);
        _encoder = new Sequential(new Linear(dimensions, hiddenUnits, generator: generator), new Relu());
        _mean = new Linear(hiddenUnits, latentDimensions, generator: generator);
        _logVar = new Linear(hiddenUnits, latentDimensions, generator: generator);
        _decoder = new Sequential(new Linear(latentDimensions, hiddenUnits, generator: generator), new Relu(),
            new Linear(hiddenUnits, dimensions, generator: generator));
    }

    /// <summary>D.</summary>
    public override int Dimensions { get; }

    /// <summary>H.</summary>
    public int HiddenUnits { get; }

    /// <summary>Z.</summary>
    public override int LatentDimensions { get; }

    /// <summary>The parameters of q(z | x): its means μ and log-variances log σ².</summary>
    /// <param name="x">Shape (N, D).</param>
    /// <returns>Two tensors of shape (N, Z).</returns>
    public (Tensor Mean, Tensor LogVar) Encode(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Size(1) != Dimensions)
        {
            throw new ArgumentException($"Vae: input of shape {Tensor.FormatShape(x.Shape)} must be (N, {Dimensions}).", nameof(x));
        }
        var hidden = _encoder.Forward(x);
        return (_mean.Forward(hidden), _logVar.Forward(hidden));
    }

    /// <summary>The logits of p(x | z).</summary>
    /// <param name="z">Shape (N, Z).</param>
    /// <returns>Shape (N, D).</returns>
    public Tensor Decode(Tensor z) => _decoder.Forward(z);

    /// <summary>A one-sample estimate of the ELBO for each example, in nats:
    /// log p(x | z) − KL(q(z | x) ‖ N(0, I)) with z = μ + σ ⊙ ε drawn once.</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    /// <param name="generator">Source of ε.</param>
    /// <returns>Shape (N).</returns>
    public override Tensor Elbo(Tensor x, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var (mean, logVar) = Encode(x);
        var z = Reparameterize(mean, logVar, generator);
        var logLikelihood = Losses.BinaryCrossEntropyWithLogits(Decode(z), x, Reduction.None).Sum(1).Neg();
        return logLikelihood - Losses.GaussianKL(mean, logVar, Reduction.None);
    }

    /// <summary>The training loss: the mean negative ELBO −(1/N) Σ_n ELBO(x_n), in nats.</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    /// <param name="generator">Source of ε.</param>
    public override Tensor Loss(Tensor x, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var (mean, logVar) = Encode(x);
        var z = Reparameterize(mean, logVar, generator);
        var reconstruction = Losses.BinaryCrossEntropyWithLogits(Decode(z), x, Reduction.Sum);
        return (reconstruction + Losses.GaussianKL(mean, logVar, Reduction.Sum)).Div(x.Size(0));
    }

    /// <summary>
    /// An importance-sampled estimate of log p(x) with q(z | x) as the proposal (the IWAE bound of Burda et al. 2015):
    /// log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x), a lower bound in expectation that tightens as K grows and is
    /// never looser than the ELBO's expectation. Not recorded for autograd.
    /// </summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    /// <param name="samples">K ≥ 1.</param>
    /// <param name="generator">Source of the draws.</param>
    /// <returns>Shape (N).</returns>
    public override Tensor LogProbEstimate(Tensor x, int samples, Generator generator)
    {
        using (Tensor.NoGrad())
        {
            return IwaeBound(x, samples, generator);
        }
    }

    /// <summary>
    /// The K-sample importance-weighted bound for each example, recorded for autograd (Burda, Grosse and Salakhutdinov
    /// 2015, "Importance Weighted Autoencoders", https://arxiv.org/abs/1509.00519): log (1/K) Σ_k w_k with
    /// w_k = p(x | z_k) p(z_k) / q(z_k | x) and z_k = μ + σ ⊙ ε_k. K = 1 is a one-sample ELBO (with the KL estimated
    /// from the draw rather than in closed form); the bound rises towards log p(x) as K grows.
    /// </summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    /// <param name="samples">K ≥ 1.</param>
    /// <param name="generator">Source of the draws ε_k.</param>
    /// <returns>Shape (N), in nats.</returns>
    public Tensor IwaeBound(Tensor x, int samples, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        ArgumentNullException.ThrowIfNull(generator);
        var (mean, logVar) = Encode(x);
        var logWeights = new List<Tensor>(samples);
        const float halfLog2Pi = 0.918938533f;
        for (var k = 0; k < samples; k++)
        {
            var epsilon = Tensor.Randn([mean.Size(0), LatentDimensions], generator);
            var z = mean + (logVar * 0.5f).Exp() * epsilon;
            var logLikelihood = Losses.BinaryCrossEntropyWithLogits(Decode(z), x, Reduction.None).Sum(1).Neg();
            var logPrior = (z * z * -0.5f - halfLog2Pi).Sum(1);
            // log q(z | x) at z = μ + σ ε: the standardised value is ε itself.
            var logPosterior = (epsilon * epsilon * -0.5f - halfLog2Pi - logVar * 0.5f).Sum(1);
            logWeights.Add((logLikelihood + logPrior - logPosterior).Unsqueeze(1));
        }
        return Tensor.Cat(logWeights, 1).LogSumExp(1) - Reproducible.Log(samples);
    }

    /// <summary>The IWAE training loss: the mean negative K-sample bound −(1/N) Σ_n <see cref="IwaeBound"/>(x_n), in
    /// nats. Pass <c>x =&gt; vae.IwaeLoss(x, k, generator)</c> to <c>Trainer.Fit</c> to train an IWAE.</summary>
    public Tensor IwaeLoss(Tensor x, int samples, Generator generator) => IwaeBound(x, samples, generator).Mean().Neg();

    /// <summary>Draws <paramref name="count"/> vectors: z ~ N(0, I), then each pixel ~ Bernoulli(σ(decoder(z))).
    /// Not recorded for autograd.</summary>
    /// <returns>Shape (count, D), values 0 or 1.</returns>
    public override Tensor Sample(int count, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using (Tensor.NoGrad())
        {
            return Tensor.Bernoulli(SampleProbs(count, generator), generator);
        }
    }

    /// <summary>The pixel probabilities σ(decoder(z)) for <paramref name="count"/> draws z ~ N(0, I) (the smooth
    /// images usually shown instead of binary samples). Not recorded for autograd.</summary>
    /// <returns>Shape (count, D).</returns>
    public Tensor SampleProbs(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        using (Tensor.NoGrad())
        {
            return Decode(Tensor.Randn([count, LatentDimensions], generator)).Sigmoid();
        }
    }

    /// <summary>z = μ + exp(½ log σ²) ⊙ ε with ε ~ N(0, I): a draw from q(z | x) that is differentiable in μ and log σ².</summary>
    public static Tensor Reparameterize(Tensor mean, Tensor logVar, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logVar);
        ArgumentNullException.ThrowIfNull(generator);
        var epsilon = Tensor.Randn(mean.Shape, generator);
        return mean + (logVar * 0.5f).Exp() * epsilon;
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"dimensions: {Dimensions}, hiddenUnits: {HiddenUnits}, latentDimensions: {LatentDimensions}";
}
