using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>The latent codes InfoGAN feeds its generator besides the noise: one category and K continuous values.</summary>
/// <param name="Categories">One category in [0, C) per example.</param>
/// <param name="Continuous">Shape (N, K), drawn uniformly from [−1, 1].</param>
public sealed record InfoGanCodes(IReadOnlyList<int> Categories, Tensor Continuous);

/// <summary>
/// InfoGAN (Chen, Duan, Houthooft, Schulman, Sutskever and Abbeel 2016, "InfoGAN: Interpretable Representation Learning
/// by Information Maximizing Generative Adversarial Nets", https://arxiv.org/abs/1606.03657) on <see cref="Dcgan"/>'s
/// networks: the generator also reads a categorical code and continuous codes, and is rewarded for making them
/// recoverable from its images, so that the codes come to mean something (a class, a slant, a width) without labels.
/// </summary>
/// <remarks>
/// <code>
/// x = G(z, c)      min_{G, Q} max_D  V(D, G) − λ L_I(G, Q)
/// L_I = E_{c, x = G(z, c)}[log Q(c | x)] + H(c)  ≤  I(c; G(z, c))
/// </code>
/// <para>The mutual information I(c; x) needs the posterior p(c | x); a network Q(c | x) in its place gives the
/// variational lower bound L_I (the same Jensen step as the ELBO's). As in the paper, Q is D with a different last
/// layer: it shares D's convolutions (<see cref="DcganDiscriminator.Features"/>) and adds Linear → 128 → batch norm →
/// LeakyReLU(0.2) → C category logits and K means; the categorical code's log Q is minus a cross-entropy, the
/// continuous codes' a Gaussian log-density with unit variance, −½ (c − μ)² up to a constant.</para>
/// <para>Training, two optimisers: D's over <see cref="DiscriminatorParameters"/> (D and Q's head) on
/// <see cref="DiscriminatorLoss"/>, which adds the information loss of the detached fakes, so the shared convolutions
/// learn to read the codes; G's over <see cref="GeneratorParameters"/> on <see cref="GeneratorLoss"/>, the
/// non-saturating loss plus the information loss, so G learns to write them. Both maximise L_I, as the objective's
/// min over G and Q says. Defaults follow the paper's MNIST model: Z = 62, C = 10, K = 2.</para>
/// </remarks>
public sealed class InfoGan : GenerativeModel
{
    private readonly int _qShift;
    private readonly double _qNoise;
    private readonly Linear _qHidden;
    private readonly BatchNorm1d _qNorm;
    private readonly Linear _qOutput;

    /// <summary>Creates the networks.</summary>
    /// <param name="latentDimensions">Z, the size of the incompressible noise.</param>
    /// <param name="categories">C, the values of the categorical code.</param>
    /// <param name="continuousCodes">K, the continuous codes.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public InfoGan(int latentDimensions = 62, int categories = 10, int continuousCodes = 2, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentDimensions);
        ArgumentOutOfRangeException.ThrowIfLessThan(categories, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(continuousCodes);
        (LatentDimensions, Categories, ContinuousCodes) = (latentDimensions, categories, continuousCodes);
        GeneratorNetwork = new DcganGenerator(latentDimensions + categories + continuousCodes, generator);
        DiscriminatorNetwork = new DcganDiscriminator(generator);
        _qHidden = new Linear(DcganDiscriminator.FeatureCount, 128, bias: false, generator);
        _qNorm = new BatchNorm1d(128);
        _qOutput = new Linear(128, categories + continuousCodes, generator: generator);
    }

    /// <summary>Z.</summary>
    public int LatentDimensions { get; }

    /// <summary>C.</summary>
    public int Categories { get; }

    /// <summary>K.</summary>
    public int ContinuousCodes { get; }

    /// <summary>How far, in pixels, Q's copy of a fake is shifted (a fresh shift in [−s, s]² per image) before Q reads
    /// the codes from it; 0 (the paper) lets Q read the exact image. See <see cref="PerturbForQ"/>.</summary>
    public int QShift
    {
        get => _qShift;
        init => _qShift = value is >= 0 and < 14 ? value : throw new ArgumentOutOfRangeException(nameof(QShift), value, "InfoGan: QShift must lie in [0, 14) pixels.");
    }

    /// <summary>The standard deviation of the Gaussian noise added to Q's copy of a fake; 0 in the paper.</summary>
    public double QNoise
    {
        get => _qNoise;
        init => _qNoise = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(QNoise), value, "InfoGan: QNoise is a standard deviation, at least 0.");
    }

    /// <summary>D = 784.</summary>
    public override int Dimensions => 28 * 28;

    /// <summary>G: (z, one-hot category, continuous codes) to images (N, 1, 28, 28) in [−1, 1].</summary>
    public DcganGenerator GeneratorNetwork { get; }

    /// <summary>D, whose convolutions Q shares.</summary>
    public DcganDiscriminator DiscriminatorNetwork { get; }

    /// <summary>What the discriminator's optimiser steps: D's parameters and Q's head (Q's other layers are D's).</summary>
    public IEnumerable<Tensor> DiscriminatorParameters => DiscriminatorNetwork.Parameters().Concat(QHeadParameters);

    /// <summary>What the generator's optimiser steps: G's parameters.</summary>
    public IEnumerable<Tensor> GeneratorParameters => GeneratorNetwork.Parameters();

    private IEnumerable<Tensor> QHeadParameters => _qHidden.Parameters().Concat(_qNorm.Parameters()).Concat(_qOutput.Parameters());

    /// <summary>Noise z ~ N(0, I) of shape (count, Z).</summary>
    public Tensor SampleLatent(int count, Generator generator) => Tensor.Randn([count, LatentDimensions], generator);

    /// <summary>Codes drawn from their priors: categories uniform on [0, C), continuous codes uniform on [−1, 1].</summary>
    public InfoGanCodes SampleCodes(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var categories = Enumerable.Range(0, count).Select(_ => generator.NextInt(Categories)).ToArray();
        return new InfoGanCodes(categories, Tensor.Rand([count, ContinuousCodes], generator) * 2 - 1);
    }

    /// <summary>G(z, c), recorded for autograd.</summary>
    public Tensor Generate(Tensor z, InfoGanCodes codes)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(codes);
        var count = z.Size(0);
        if (z.Rank != 2 || z.Size(1) != LatentDimensions || codes.Continuous.Rank != 2 || codes.Continuous.Size(0) != count || codes.Continuous.Size(1) != ContinuousCodes)
        {
            throw new ArgumentException(
                $"InfoGan: noise {Tensor.FormatShape(z.Shape)} and continuous codes {Tensor.FormatShape(codes.Continuous.Shape)} must be (N, {LatentDimensions}) and (N, {ContinuousCodes}).",
                nameof(codes));
        }
        var oneHot = ClassLabels.OneHot(codes.Categories, Categories, count, "InfoGan");
        return GeneratorNetwork.Forward(Tensor.Cat([z, oneHot, codes.Continuous], 1));
    }

    /// <summary>D(x), the logit that each image is real.</summary>
    public Tensor Discriminate(Tensor images) => DiscriminatorNetwork.Forward(images);

    /// <summary>Q(c | x): the categorical code's logits (N, C) and the continuous codes' means (N, K).</summary>
    public (Tensor CategoryLogits, Tensor ContinuousMeans) PredictCodes(Tensor images) =>
        PredictCodesFromFeatures(DiscriminatorNetwork.Features(images));

    /// <summary>D's loss: real images against generated ones, plus the information loss of the generated ones, all
    /// with the fakes detached, so that D's convolutions and Q's head learn and G does not.</summary>
    /// <param name="real">Data, (N, 1, 28, 28) or (N, 784) in [−1, 1].</param>
    /// <param name="fake">G(z, codes).</param>
    /// <param name="codes">The codes <paramref name="fake"/> was generated from.</param>
    /// <param name="continuousWeight">The continuous codes' weight in the information loss.</param>
    /// <param name="perturbation">Draws Q's shifts and noise; needed when <see cref="QShift"/> or <see cref="QNoise"/> is
    /// set.</param>
    public Tensor DiscriminatorLoss(Tensor real, Tensor fake, InfoGanCodes codes, double continuousWeight = 0.1, Generator? perturbation = null)
    {
        ArgumentNullException.ThrowIfNull(fake);
        var detached = fake.Detach();
        if (Perturbs)
        {
            return AdversarialLoss.Discriminator(Discriminate(real), Discriminate(detached))
                + InformationLoss(detached, codes, continuousWeight, perturbation);
        }
        // One pass of the fakes through D's convolutions serves both heads (and updates batch norm's statistics once).
        var fakeFeatures = DiscriminatorNetwork.Features(detached);
        var adversarial = AdversarialLoss.Discriminator(Discriminate(real), DiscriminatorNetwork.Classify(fakeFeatures));
        return adversarial + InformationLossFromFeatures(fakeFeatures, codes, continuousWeight);
    }

    /// <summary>G's loss: the non-saturating −mean log σ(D(G(z, c))) plus the information loss (from one pass of the
    /// fakes through D's convolutions when Q reads them unperturbed). Gradients reach D and Q too; step only G's
    /// optimiser.</summary>
    /// <param name="fake">G(z, codes), attached to G's graph.</param>
    /// <param name="codes">The codes <paramref name="fake"/> was generated from.</param>
    /// <param name="continuousWeight">The continuous codes' weight in the information loss.</param>
    /// <param name="perturbation">Draws Q's shifts and noise; needed when <see cref="QShift"/> or <see cref="QNoise"/> is
    /// set.</param>
    public Tensor GeneratorLoss(Tensor fake, InfoGanCodes codes, double continuousWeight = 0.1, Generator? perturbation = null)
    {
        if (Perturbs)
        {
            return AdversarialLoss.NonSaturating(Discriminate(fake)) + InformationLoss(fake, codes, continuousWeight, perturbation);
        }
        var features = DiscriminatorNetwork.Features(fake);
        return AdversarialLoss.NonSaturating(DiscriminatorNetwork.Classify(features)) + InformationLossFromFeatures(features, codes, continuousWeight);
    }

    /// <summary>
    /// −(L_I − H(c)) per example, the part of the information bound that depends on G and Q: the cross-entropy of the
    /// categorical code plus <paramref name="continuousWeight"/> times ½ Σ_k (c_k − μ_k)², averaged over the batch.
    /// </summary>
    /// <param name="fake">G(z, codes); attached, gradients reach G and Q.</param>
    /// <param name="codes">The codes the images were generated from.</param>
    /// <param name="continuousWeight">The continuous codes' weight (the paper's λ for them is smaller than 1).</param>
    /// <param name="perturbation">Draws Q's shifts and noise; needed when <see cref="QShift"/> or <see cref="QNoise"/> is
    /// set.</param>
    public Tensor InformationLoss(Tensor fake, InfoGanCodes codes, double continuousWeight = 0.1, Generator? perturbation = null) =>
        InformationLossFromFeatures(DiscriminatorNetwork.Features(PerturbForQ(fake, perturbation)), codes, continuousWeight);

    /// <summary>
    /// The copy of the fakes Q reads: each image shifted by a random (dy, dx) in [−<see cref="QShift"/>, QShift]² (the
    /// border filled with the background, −1) plus Gaussian noise of <see cref="QNoise"/>; the fakes themselves when
    /// both are 0. Why: the information bound only asks that Q can recover the code, and a generator can satisfy it by
    /// writing the code into a few exact pixel values that nobody sees; a code that must survive a shift and noise has
    /// to change the image in a way one can see.
    /// </summary>
    public Tensor PerturbForQ(Tensor fake, Generator? perturbation)
    {
        ArgumentNullException.ThrowIfNull(fake);
        if (!Perturbs)
        {
            return fake;
        }
        if (perturbation is null)
        {
            throw new ArgumentNullException(nameof(perturbation), $"InfoGan: with QShift = {QShift} and QNoise = {QNoise}, the losses need a generator for Q's perturbations.");
        }
        var images = fake.Rank == 2 ? fake.Reshape(-1, 1, 28, 28) : fake;
        var count = images.Size(0);
        if (QShift > 0)
        {
            var s = QShift;
            var rows = Tensor.Full([count, 1, s, 28], -1f);
            var padded = Tensor.Cat([rows, images, rows], 2);
            var columns = Tensor.Full([count, 1, 28 + 2 * s, s], -1f);
            padded = Tensor.Cat([columns, padded, columns], 3);
            images = Tensor.Cat([.. Enumerable.Range(0, count).Select(n =>
                padded.Narrow(0, n, 1).Narrow(2, s + perturbation.NextInt(2 * s + 1) - s, 28).Narrow(3, s + perturbation.NextInt(2 * s + 1) - s, 28))], 0);
        }
        return QNoise > 0 ? images + Tensor.Randn(images.Shape, perturbation) * (float)QNoise : images;
    }

    private bool Perturbs => QShift > 0 || QNoise > 0;

    private (Tensor CategoryLogits, Tensor ContinuousMeans) PredictCodesFromFeatures(Tensor features)
    {
        var output = _qOutput.Forward(_qNorm.Forward(_qHidden.Forward(features)).LeakyRelu(0.2f));
        return (output.Slice(1, 0, Categories), output.Slice(1, Categories, Categories + ContinuousCodes));
    }

    private Tensor InformationLossFromFeatures(Tensor features, InfoGanCodes codes, double continuousWeight)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Categories.Count != features.Size(0))
        {
            throw new ArgumentException($"InfoGan: {codes.Categories.Count} codes for {features.Size(0)} images; give one per image.", nameof(codes));
        }
        var (logits, means) = PredictCodesFromFeatures(features);
        var categorical = Losses.CrossEntropy(logits, Tensor.FromArray(codes.Categories.Select(c => (float)c).ToArray()));
        if (ContinuousCodes == 0)
        {
            return categorical;
        }
        var continuous = (means - codes.Continuous).Pow(2).Sum(1).Mean() * 0.5f;
        return categorical + continuous * (float)continuousWeight;
    }

    /// <summary>The categorical part of the bound, L_I = H(c) + E[log Q(c | x)] = log C − cross-entropy, in nats, for
    /// images generated from <paramref name="codes"/>: at most log C, reached when Q recovers every category.</summary>
    public double CategoricalInformationBound(Tensor fake, InfoGanCodes codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        // A measurement: D's and Q's batch norms in evaluation mode, so they neither use nor update batch statistics.
        var logits = DrawInEvaluationMode(this, () => PredictCodes(fake).CategoryLogits);
        return Math.Log(Categories) - Losses.CrossEntropy(logits, Tensor.FromArray(codes.Categories.Select(c => (float)c).ToArray())).Item();
    }

    /// <summary>Draws <paramref name="count"/> images with codes from their priors, G in evaluation mode.</summary>
    /// <returns>Shape (count, 784), values in [0, 1].</returns>
    public override Tensor Sample(int count, Generator generator) => SampleWith(SampleCodes(count, generator), generator);

    /// <summary>Draws one image per code (fresh noise), G in evaluation mode, not recorded for autograd.</summary>
    /// <returns>Shape (N, 784), values in [0, 1].</returns>
    public Tensor SampleWith(InfoGanCodes codes, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(generator);
        return SampleFrom(SampleLatent(codes.Categories.Count, generator), codes);
    }

    /// <summary>G(z, c) for noise and codes the caller chose (one z with each category, say), G in evaluation mode,
    /// not recorded for autograd.</summary>
    /// <returns>Shape (N, 784), values in [0, 1].</returns>
    public Tensor SampleFrom(Tensor z, InfoGanCodes codes) =>
        DrawInEvaluationMode(GeneratorNetwork, () => SampleLayout.FromSigned(Generate(z, codes)));

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"latentDimensions: {LatentDimensions}, categories: {Categories}, continuousCodes: {ContinuousCodes}";
}
