using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>The parts of StarGAN's generator loss, each a one-element tensor (see <see cref="StarGan.GeneratorLoss"/>).</summary>
/// <param name="Total">adversarial + λ_cls · classification + λ_rec · reconstruction.</param>
/// <param name="Adversarial">The non-saturating loss of the translations.</param>
/// <param name="Classification">The cross-entropy of D's domain classifier on the translations against the requested
/// domains: low when each translation looks like its target domain.</param>
/// <param name="Reconstruction">mean |G(G(x, c'), c) − x|: translating back to the original domain must return x.</param>
public sealed record StarGanLosses(Tensor Total, Tensor Adversarial, Tensor Classification, Tensor Reconstruction);

/// <summary>
/// StarGAN (Choi, Choi, Kim, Ha, Kim and Choo 2018, "StarGAN: Unified Generative Adversarial Networks for Multi-Domain
/// Image-to-Image Translation", https://arxiv.org/abs/1711.09020): one generator for every pair of K domains, told the
/// target domain as an input, and one discriminator that also classifies the domain of what it sees.
/// </summary>
/// <remarks>
/// <code>
/// x' = G(x, c')                       c' the target domain, c the domain of x
/// L_D = −L_adv + λ_cls · CE(D_cls(x), c)                              (real images: learn what each domain looks like)
/// L_G =  L_adv + λ_cls · CE(D_cls(x'), c') + λ_rec · |G(x', c) − x|   (look like c', keep what c' does not change)
/// </code>
/// <para>CycleGAN needs K(K − 1) generators for K domains; StarGAN one. The domain classifier is trained on real images
/// only, so G cannot make it agree by fooling it with artefacts it learned itself; the reconstruction term is CycleGAN's
/// cycle with the original domain as the target. Defaults as in the paper: λ_cls = 1, λ_rec = 10 (its adversarial loss is
/// WGAN-GP; here, as in the rest of the course, the binary cross-entropy).</para>
/// <para>Networks: G reads the image with K more channels, plane c' all ones (as <see cref="ConditionalDcgan"/>'s D
/// reads labels), through CycleGAN's encoder-decoder; D is a PatchGAN trunk with two heads, one real-or-fake logit per
/// 7 x 7 patch and K domain logits from a Linear layer over the trunk's features. Images are (N, 1, 28, 28) in [−1, 1].</para>
/// </remarks>
public sealed class StarGan : Module
{
    private readonly Sequential _generator;
    private readonly Sequential _trunk;
    private readonly Conv2d _patchLogits;
    private readonly Linear _domainLogits;

    /// <summary>Creates both networks.</summary>
    /// <param name="domains">K, at least 2.</param>
    /// <param name="channels">C, the networks' first width.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public StarGan(int domains, int channels = 16, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(domains, 2);
        (Domains, Channels) = (domains, channels);
        _generator = TranslationNetworks.Translator(1 + domains, channels, generator);
        _trunk = TranslationNetworks.PatchFeatures(1, channels, generator);
        _patchLogits = TranslationNetworks.PatchLogits(channels, generator);
        _domainLogits = new Linear(2 * channels * 7 * 7, domains, generator: generator);
    }

    /// <summary>K.</summary>
    public int Domains { get; }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>λ_cls (the paper's 1).</summary>
    public double ClassificationWeight { get; init; } = 1;

    /// <summary>λ_rec (the paper's 10).</summary>
    public double ReconstructionWeight { get; init; } = 10;

    /// <summary>What G's optimiser steps.</summary>
    public IEnumerable<Tensor> GeneratorParameters => _generator.Parameters();

    /// <summary>What D's optimiser steps: the trunk and both heads.</summary>
    public IEnumerable<Tensor> DiscriminatorParameters => _trunk.Parameters().Concat(_patchLogits.Parameters()).Concat(_domainLogits.Parameters());

    /// <summary>G(x, c'), recorded for autograd.</summary>
    /// <param name="images">(N, 1, 28, 28) in [−1, 1].</param>
    /// <param name="targets">One target domain in [0, K) per image.</param>
    /// <returns>(N, 1, 28, 28) in [−1, 1].</returns>
    public Tensor Generate(Tensor images, IReadOnlyList<int> targets)
    {
        TranslationNetworks.CheckImages(images, "StarGan", nameof(images));
        return _generator.Forward(WithDomainPlanes(images, targets));
    }

    /// <summary>D's two heads: real-or-fake logits per patch (N, 1, 7, 7) and domain logits (N, K).</summary>
    public (Tensor PatchLogits, Tensor DomainLogits) Discriminate(Tensor images)
    {
        TranslationNetworks.CheckImages(images, "StarGan", nameof(images));
        var features = _trunk.Forward(images);
        return (_patchLogits.Forward(features), _domainLogits.Forward(features.Reshape(features.Size(0), -1)));
    }

    /// <summary>D's loss: real images (with their domains) against translations (detached), plus λ_cls times the domain
    /// cross-entropy on the real images.</summary>
    /// <param name="real">Real images.</param>
    /// <param name="realDomains">Their domains.</param>
    /// <param name="fake">Translations G(x, c').</param>
    public Tensor DiscriminatorLoss(Tensor real, IReadOnlyList<int> realDomains, Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        var (realPatches, realDomainLogits) = Discriminate(real);
        var (fakePatches, _) = Discriminate(fake.Detach());
        return AdversarialLoss.Discriminator(realPatches, fakePatches)
            + Losses.CrossEntropy(realDomainLogits, CheckDomains(realDomains, real.Size(0), nameof(realDomains))) * (float)ClassificationWeight;
    }

    /// <summary>G's loss and its parts for translating <paramref name="real"/> (of domains <paramref name="realDomains"/>)
    /// to <paramref name="targets"/>; also returns the translations, for D's step.</summary>
    public (StarGanLosses Losses, Tensor Fake) GeneratorLoss(Tensor real, IReadOnlyList<int> realDomains, IReadOnlyList<int> targets)
    {
        var fake = Generate(real, targets);
        var (patches, domainLogits) = Discriminate(fake);
        var adversarial = AdversarialLoss.NonSaturating(patches);
        var classification = Losses.CrossEntropy(domainLogits, CheckDomains(targets, real.Size(0), nameof(targets)));
        var reconstruction = TranslationNetworks.MeanAbsoluteError(Generate(fake, realDomains), real);
        var total = adversarial + classification * (float)ClassificationWeight + reconstruction * (float)ReconstructionWeight;
        return (new StarGanLosses(total, adversarial, classification, reconstruction), fake);
    }

    /// <summary>One training step: G steps on <see cref="GeneratorLoss"/>, then D on the same translations (detached).</summary>
    /// <param name="real">Real images (N, 1, 28, 28) in [−1, 1].</param>
    /// <param name="realDomains">Their domains.</param>
    /// <param name="targets">The domain to translate each into.</param>
    /// <param name="generatorOptimizer">Steps <see cref="GeneratorParameters"/>.</param>
    /// <param name="discriminatorOptimizer">Steps <see cref="DiscriminatorParameters"/>.</param>
    /// <returns>G's losses and D's loss, as computed before the step.</returns>
    public (StarGanLosses Generator, Tensor Discriminator) TrainingStep(Tensor real, IReadOnlyList<int> realDomains, IReadOnlyList<int> targets,
        Optimizer generatorOptimizer, Optimizer discriminatorOptimizer)
    {
        ArgumentNullException.ThrowIfNull(generatorOptimizer);
        ArgumentNullException.ThrowIfNull(discriminatorOptimizer);
        generatorOptimizer.ZeroGrad();
        var (losses, fake) = GeneratorLoss(real, realDomains, targets);
        losses.Total.Backward();
        generatorOptimizer.Step();
        discriminatorOptimizer.ZeroGrad();
        var discriminatorLoss = DiscriminatorLoss(real, realDomains, fake);
        discriminatorLoss.Backward();
        discriminatorOptimizer.Step();
        return (losses, discriminatorLoss);
    }

    /// <summary>Translates rows (N, 784) in [0, 1] to the given domains, G in evaluation mode, not recorded for
    /// autograd; returns rows in [0, 1].</summary>
    public Tensor Translate(Tensor rows, IReadOnlyList<int> targets) =>
        TranslationNetworks.Translate(_generator, rows, images => WithDomainPlanes(images, targets), "StarGan", nameof(rows));

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"domains: {Domains}, channels: {Channels}";

    private Tensor WithDomainPlanes(Tensor images, IReadOnlyList<int> targets)
    {
        var count = images.Size(0);
        CheckDomains(targets, count, nameof(targets));
        var planes = ClassLabels.OneHot(targets, Domains, count, "StarGan").Reshape(count, Domains, 1, 1) * Tensor.Ones([1, 1, 28, 28]);
        return Tensor.Cat([images, planes], 1);
    }

    private int[] CheckDomains(IReadOnlyList<int> domains, int count, string name)
    {
        ArgumentNullException.ThrowIfNull(domains, name);
        if (domains.Count != count)
        {
            throw new ArgumentException($"StarGan: {domains.Count} {name} for {count} images; give one per image.", name);
        }
        for (var n = 0; n < count; n++)
        {
            if ((uint)domains[n] >= (uint)Domains)
            {
                throw new ArgumentOutOfRangeException(name, domains[n], $"StarGan: {name}[{n}] = {domains[n]} is not a domain in [0, {Domains}).");
            }
        }
        return [.. domains];
    }
}
