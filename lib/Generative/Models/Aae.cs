using Generative.Distributions;
using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// The adversarial autoencoder (Makhzani, Shlens, Jaitly, Goodfellow and Frey 2015, "Adversarial Autoencoders",
/// https://arxiv.org/abs/1511.05644) for binary vectors: an autoencoder whose codes are made to look like draws from a
/// prior p(z) by a discriminator on the latent space, in place of the VAE's KL term.
/// </summary>
/// <remarks>
/// <code>
/// z = encoder(x)   (deterministic)          p(x | z) = Π_d Bernoulli(x_d; σ(decoder(z)_d))
/// reconstruction:  min_{enc, dec}  E_data[−log p(x | encoder(x))]
/// regularisation:  min_enc max_D   E_{z ~ p(z)}[log σ(D(z))] + E_data[log(1 − σ(D(encoder(x))))]
/// </code>
/// <para>The adversarial game pushes the aggregated posterior q(z) = E_data[δ(z − encoder(x))] towards p(z); it needs
/// only samples of p(z), so any prior that can be sampled works (here N(0, I) or a <see cref="GaussianMixture2D"/>).
/// With <c>classes</c> &gt; 0 the discriminator also sees a one-hot label (the paper's "label information" variant):
/// a code with label c must look like a draw from the prior's component c, which pushes each class to its own mode.</para>
/// <para>Architecture: encoder D → H (ReLU) → Z; decoder Z → H (ReLU) → D logits (the VAE of lesson 08 with a
/// deterministic encoder); discriminator Z (+ C) → K (ReLU) → K (ReLU) → 1 logit. A training step has three phases,
/// each with its own optimiser: reconstruction (<see cref="EncoderParameters"/> and <see cref="DecoderParameters"/> on
/// <see cref="ReconstructionLoss"/>), discriminator (<see cref="DiscriminatorParameters"/> on
/// <see cref="DiscriminatorLoss"/>), encoder as generator (<see cref="EncoderParameters"/> on
/// <see cref="EncoderLoss"/>).</para>
/// </remarks>
public sealed class Aae : GenerativeModel
{
    private readonly Sequential _encoder;
    private readonly Sequential _decoder;
    private readonly Sequential _discriminator;
    private readonly GaussianMixture2D? _prior;

    /// <summary>Creates the model.</summary>
    /// <param name="dimensions">D, the length of each binary vector.</param>
    /// <param name="hiddenUnits">H, the width of the encoder's and the decoder's hidden layer.</param>
    /// <param name="latentDimensions">Z; must be 2 when <paramref name="prior"/> is a mixture in the plane.</param>
    /// <param name="prior">p(z): a mixture of Gaussians in the plane, or null for N(0, I).</param>
    /// <param name="classes">C: 0 for a discriminator on z alone; the number of classes (at most the prior's
    /// components) for one that also sees the label, whose prior draw then comes from the label's component.</param>
    /// <param name="discriminatorUnits">K, the width of the discriminator's two hidden layers.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Aae(int dimensions = 784, int hiddenUnits = 400, int latentDimensions = 2, GaussianMixture2D? prior = null,
        int classes = 0, int discriminatorUnits = 128, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenUnits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentDimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(discriminatorUnits);
        ArgumentOutOfRangeException.ThrowIfNegative(classes);
        if (prior is not null && latentDimensions != 2)
        {
            throw new ArgumentException($"Aae: a GaussianMixture2D prior lives in the plane; latentDimensions is {latentDimensions}, not 2.", nameof(latentDimensions));
        }
        if (classes > 0 && (prior is null || classes > prior.ComponentCount))
        {
            throw new ArgumentException(prior is null
                ? $"Aae: {classes} classes need a mixture prior with a component per class; the prior is N(0, I)."
                : $"Aae: {classes} classes need a component each; the prior has {prior.ComponentCount}.", nameof(classes));
        }
        (Dimensions, HiddenUnits, LatentDimensions, Classes, _prior) = (dimensions, hiddenUnits, latentDimensions, classes, prior);
        _encoder = new Sequential(new Linear(dimensions, hiddenUnits, generator: generator), new Relu(),
            new Linear(hiddenUnits, latentDimensions, generator: generator));
        _decoder = new Sequential(new Linear(latentDimensions, hiddenUnits, generator: generator), new Relu(),
            new Linear(hiddenUnits, dimensions, generator: generator));
        _discriminator = new Sequential(new Linear(latentDimensions + classes, discriminatorUnits, generator: generator), new Relu(),
            new Linear(discriminatorUnits, discriminatorUnits, generator: generator), new Relu(),
            new Linear(discriminatorUnits, 1, generator: generator));
    }

    /// <summary>D.</summary>
    public override int Dimensions { get; }

    /// <summary>H.</summary>
    public int HiddenUnits { get; }

    /// <summary>Z.</summary>
    public int LatentDimensions { get; }

    /// <summary>C: 0 when the discriminator sees z alone, else the number of classes it is told.</summary>
    public int Classes { get; }

    /// <summary>The encoder's parameters (trained in the reconstruction and the regularisation phase).</summary>
    public IEnumerable<Tensor> EncoderParameters => _encoder.Parameters();

    /// <summary>The decoder's parameters.</summary>
    public IEnumerable<Tensor> DecoderParameters => _decoder.Parameters();

    /// <summary>The discriminator's parameters.</summary>
    public IEnumerable<Tensor> DiscriminatorParameters => _discriminator.Parameters();

    /// <summary>The codes z = encoder(x).</summary>
    /// <param name="x">Shape (N, D).</param>
    /// <returns>Shape (N, Z).</returns>
    public Tensor Encode(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Size(1) != Dimensions)
        {
            throw new ArgumentException($"Aae: input of shape {Tensor.FormatShape(x.Shape)} must be (N, {Dimensions}).", nameof(x));
        }
        return _encoder.Forward(x);
    }

    /// <summary>The logits of p(x | z).</summary>
    /// <param name="z">Shape (N, Z).</param>
    /// <returns>Shape (N, D).</returns>
    public Tensor Decode(Tensor z) => _decoder.Forward(z);

    /// <summary>D's logit that each code is a draw from the prior (given its label when <see cref="Classes"/> &gt; 0).</summary>
    /// <param name="z">Codes, shape (N, Z).</param>
    /// <param name="labels">One label in [0, C) per code; required exactly when <see cref="Classes"/> &gt; 0.</param>
    /// <returns>Shape (N, 1).</returns>
    public Tensor Discriminate(Tensor z, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Size(1) != LatentDimensions)
        {
            throw new ArgumentException($"Aae: codes of shape {Tensor.FormatShape(z.Shape)} must be (N, {LatentDimensions}).", nameof(z));
        }
        if (Classes == 0)
        {
            return labels is null
                ? _discriminator.Forward(z)
                : throw new ArgumentException("Aae: this discriminator sees codes alone (classes: 0); pass no labels.", nameof(labels));
        }
        return _discriminator.Forward(Tensor.Cat([z, OneHot(labels, z.Size(0))], 1));
    }

    /// <summary>The reconstruction loss: −(1/N) Σ_n log p(x_n | encoder(x_n)), the Bernoulli cross-entropy summed over
    /// pixels and averaged over the batch, in nats.</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    public Tensor ReconstructionLoss(Tensor x) =>
        Losses.BinaryCrossEntropyWithLogits(Decode(Encode(x)), x, Reduction.Sum).Div(x.Size(0));

    /// <summary>
    /// The discriminator's loss: binary cross-entropy of D on prior draws against 1 plus on codes against 0,
    /// −mean log σ(D(z_prior)) − mean log(1 − σ(D(z_code))). <paramref name="codes"/> is detached, so only D receives
    /// gradients.
    /// </summary>
    /// <param name="codes">encoder(x), shape (N, Z).</param>
    /// <param name="priorDraws">Draws of p(z), shape (M, Z) (<see cref="SamplePrior(int, Generator)"/>, or with labels
    /// <see cref="SamplePrior(IReadOnlyList{int}, Generator)"/>).</param>
    /// <param name="labels">The codes' labels, which are also the prior draws' components; when <see cref="Classes"/> &gt; 0.</param>
    public Tensor DiscriminatorLoss(Tensor codes, Tensor priorDraws, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(priorDraws);
        return AdversarialLoss.Discriminator(Discriminate(priorDraws, labels), Discriminate(codes.Detach(), labels));
    }

    /// <summary>The encoder's adversarial loss, non-saturating: −mean log σ(D(encoder(x))), binary cross-entropy of D on
    /// the codes against 1. Gradients reach the encoder through <paramref name="codes"/> (and D's parameters too; step
    /// only the encoder's optimiser).</summary>
    /// <param name="codes">encoder(x), still attached to the encoder's graph.</param>
    /// <param name="labels">The codes' labels, when <see cref="Classes"/> &gt; 0.</param>
    public Tensor EncoderLoss(Tensor codes, IReadOnlyList<int>? labels = null) =>
        AdversarialLoss.NonSaturating(Discriminate(codes, labels));

    /// <summary><paramref name="count"/> draws of p(z), shape (count, Z).</summary>
    public Tensor SamplePrior(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        return _prior is null ? Tensor.Randn([count, LatentDimensions], generator) : _prior.Sample(count, generator).ToTensor();
    }

    /// <summary>One draw of p(z | component c) per entry of <paramref name="components"/>, shape (count, 2): the draws
    /// the discriminator compares codes of class c with. Needs a mixture prior.</summary>
    public Tensor SamplePrior(IReadOnlyList<int> components, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(generator);
        if (_prior is null)
        {
            throw new InvalidOperationException("Aae: the prior N(0, I) has no components; draw with SamplePrior(count, generator).");
        }
        return _prior.SampleComponents(components, generator).ToTensor();
    }

    /// <summary>Draws <paramref name="count"/> vectors: z ~ p(z), then each pixel ~ Bernoulli(σ(decoder(z))). Not
    /// recorded for autograd.</summary>
    /// <returns>Shape (count, D), values 0 or 1.</returns>
    public override Tensor Sample(int count, Generator generator)
    {
        using (Tensor.NoGrad())
        {
            return Tensor.Bernoulli(Decode(SamplePrior(count, generator)).Sigmoid(), generator);
        }
    }

    private Tensor OneHot(IReadOnlyList<int>? labels, int count) => labels is null
        ? throw new ArgumentException($"Aae: this discriminator is told the class ({Classes} classes); pass one label per code.", nameof(labels))
        : ClassLabels.OneHot(labels, Classes, count, "Aae");

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"dimensions: {Dimensions}, hiddenUnits: {HiddenUnits}, latentDimensions: {LatentDimensions}, classes: {Classes}, prior: {(_prior is null ? "N(0, I)" : _prior.ToString())}";
}
