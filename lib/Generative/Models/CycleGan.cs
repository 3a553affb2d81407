using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>The parts of CycleGAN's generator loss, each a one-element tensor (see <see cref="CycleGan.GeneratorLoss"/>).</summary>
/// <param name="Total">adversarial + λ_cycle · cycle + λ_identity · identity: what G's optimiser minimises.</param>
/// <param name="Adversarial">Both generators' non-saturating losses against the other domain's discriminator.</param>
/// <param name="Cycle">Both cycles' mean absolute error, |F(G(a)) − a| + |G(F(b)) − b|.</param>
/// <param name="Identity">Both generators' mean absolute change of an image already in their target domain.</param>
public sealed record CycleGanLosses(Tensor Total, Tensor Adversarial, Tensor Cycle, Tensor Identity);

/// <summary>
/// CycleGAN (Zhu, Park, Isola and Efros 2017, "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial
/// Networks", https://arxiv.org/abs/1703.10593): two generators translate between domains A and B, G: A → B and
/// F: B → A, each judged by a discriminator of its target domain, and trained without any pair (a, b) that
/// corresponds: the only link between an input and its translation is that translating back must return the input.
/// </summary>
/// <remarks>
/// <code>
/// L = L_GAN(G, D_B) + L_GAN(F, D_A) + λ_cycle (‖F(G(a)) − a‖₁ + ‖G(F(b)) − b‖₁) + λ_identity (‖G(b) − b‖₁ + ‖F(a) − a‖₁)
/// </code>
/// <para>The adversarial terms alone would let G map every a to any one convincing b; the cycle term makes the
/// translation keep enough of a to recover it. The identity term (the paper's, for photos ↔ paintings) asks each
/// generator to leave an image of its own target domain alone, which keeps intensities and shapes from drifting.</para>
/// <para>Networks (the defaults, sized for 28 x 28 grey images on a CPU): each generator is an encoder-decoder,
/// Conv 3 x 3 → C, strided Conv to 2C at 14 x 14, a residual block, a transposed Conv back to C at 28 x 28 and a
/// Conv 3 x 3 to one channel with tanh, batch norm and ReLU between; each discriminator is a PatchGAN: two strided
/// convolutions to 7 x 7 and a 3 x 3 convolution to one logit per patch, so it judges local texture and every patch
/// counts. The paper's losses are least squares; these are the binary cross-entropies of the other GANs of the
/// course (<see cref="AdversarialLoss"/>). Images are (N, 1, 28, 28) in [−1, 1]. Any four networks with those shapes
/// can be passed in instead.</para>
/// </remarks>
public sealed class CycleGan : Module
{
    /// <summary>Creates the default networks (see remarks).</summary>
    /// <param name="channels">C, the generators' and discriminators' first width.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public CycleGan(int channels = 16, Generator? generator = null)
        : this(TranslationNetworks.Translator(1, channels, generator), TranslationNetworks.Translator(1, channels, generator),
            PatchDiscriminator(channels, generator), PatchDiscriminator(channels, generator))
    {
    }

    /// <summary>Composes four given networks.</summary>
    /// <param name="generatorAB">G: A → B.</param>
    /// <param name="generatorBA">F: B → A.</param>
    /// <param name="discriminatorA">D_A: logits that an image is a real member of A (any shape, e.g. one per patch).</param>
    /// <param name="discriminatorB">D_B: the same for B.</param>
    public CycleGan(Module<Tensor, Tensor> generatorAB, Module<Tensor, Tensor> generatorBA, Module<Tensor, Tensor> discriminatorA,
        Module<Tensor, Tensor> discriminatorB)
    {
        GeneratorAB = generatorAB ?? throw new ArgumentNullException(nameof(generatorAB));
        GeneratorBA = generatorBA ?? throw new ArgumentNullException(nameof(generatorBA));
        DiscriminatorA = discriminatorA ?? throw new ArgumentNullException(nameof(discriminatorA));
        DiscriminatorB = discriminatorB ?? throw new ArgumentNullException(nameof(discriminatorB));
    }

    /// <summary>G: A → B.</summary>
    public Module<Tensor, Tensor> GeneratorAB { get; }

    /// <summary>F: B → A.</summary>
    public Module<Tensor, Tensor> GeneratorBA { get; }

    /// <summary>D_A, the judge of images in A.</summary>
    public Module<Tensor, Tensor> DiscriminatorA { get; }

    /// <summary>D_B, the judge of images in B.</summary>
    public Module<Tensor, Tensor> DiscriminatorB { get; }

    /// <summary>What the generators' optimiser steps: both generators.</summary>
    public IEnumerable<Tensor> GeneratorParameters => GeneratorAB.Parameters().Concat(GeneratorBA.Parameters());

    /// <summary>What the discriminators' optimiser steps: both discriminators.</summary>
    public IEnumerable<Tensor> DiscriminatorParameters => DiscriminatorA.Parameters().Concat(DiscriminatorB.Parameters());

    /// <summary>λ_cycle, the cycle term's weight (the paper's 10).</summary>
    public double CycleWeight { get; init; } = 10;

    /// <summary>λ_identity, the identity term's weight (the paper's half of λ_cycle).</summary>
    public double IdentityWeight { get; init; } = 5;

    /// <summary>Both discriminators' losses: real images of each domain against the translations into it (detached,
    /// so only the discriminators learn).</summary>
    /// <param name="realA">Images of A, (N, 1, 28, 28) in [−1, 1].</param>
    /// <param name="realB">Images of B.</param>
    /// <param name="fakeA">F(b), translations into A.</param>
    /// <param name="fakeB">G(a), translations into B.</param>
    public Tensor DiscriminatorLoss(Tensor realA, Tensor realB, Tensor fakeA, Tensor fakeB)
    {
        ArgumentNullException.ThrowIfNull(fakeA);
        ArgumentNullException.ThrowIfNull(fakeB);
        return AdversarialLoss.Discriminator(DiscriminatorA.Forward(realA), DiscriminatorA.Forward(fakeA.Detach()))
            + AdversarialLoss.Discriminator(DiscriminatorB.Forward(realB), DiscriminatorB.Forward(fakeB.Detach()));
    }

    /// <summary>The generators' loss and its parts, from one batch of each domain.</summary>
    /// <returns>The parts and the total; <c>FakeA</c> = F(b) and <c>FakeB</c> = G(a) for the discriminators' step.</returns>
    public (CycleGanLosses Losses, Tensor FakeA, Tensor FakeB) GeneratorLoss(Tensor realA, Tensor realB)
    {
        CheckImages(realA, nameof(realA));
        CheckImages(realB, nameof(realB));
        var fakeB = GeneratorAB.Forward(realA);
        var fakeA = GeneratorBA.Forward(realB);
        var adversarial = AdversarialLoss.NonSaturating(DiscriminatorB.Forward(fakeB)) + AdversarialLoss.NonSaturating(DiscriminatorA.Forward(fakeA));
        var cycle = MeanAbsoluteError(GeneratorBA.Forward(fakeB), realA) + MeanAbsoluteError(GeneratorAB.Forward(fakeA), realB);
        var identity = MeanAbsoluteError(GeneratorAB.Forward(realB), realB) + MeanAbsoluteError(GeneratorBA.Forward(realA), realA);
        var total = adversarial + cycle * (float)CycleWeight + identity * (float)IdentityWeight;
        return (new CycleGanLosses(total, adversarial, cycle, identity), fakeA, fakeB);
    }

    /// <summary>One training step in the paper's order: both generators step on <see cref="GeneratorLoss"/>, then both
    /// discriminators on the translations the generators just made (detached), so each batch is translated once.</summary>
    /// <param name="realA">Images of A, (N, 1, 28, 28) in [−1, 1].</param>
    /// <param name="realB">Images of B.</param>
    /// <param name="generatorOptimizer">Steps <see cref="GeneratorParameters"/>.</param>
    /// <param name="discriminatorOptimizer">Steps <see cref="DiscriminatorParameters"/>.</param>
    /// <returns>The generators' losses and the discriminators' loss, as computed before the step.</returns>
    public (CycleGanLosses Generator, Tensor Discriminator) TrainingStep(Tensor realA, Tensor realB, Optimizer generatorOptimizer,
        Optimizer discriminatorOptimizer)
    {
        ArgumentNullException.ThrowIfNull(generatorOptimizer);
        ArgumentNullException.ThrowIfNull(discriminatorOptimizer);
        generatorOptimizer.ZeroGrad();
        var (losses, fakeA, fakeB) = GeneratorLoss(realA, realB);
        losses.Total.Backward();
        generatorOptimizer.Step();
        discriminatorOptimizer.ZeroGrad(); // G's backward left gradients on the discriminators too
        var discriminatorLoss = DiscriminatorLoss(realA, realB, fakeA, fakeB);
        discriminatorLoss.Backward();
        discriminatorOptimizer.Step();
        return (losses, discriminatorLoss);
    }

    /// <summary>The cycle-consistency loss alone, |F(G(a)) − a| + |G(F(b)) − b| averaged over pixels: 0 when the two
    /// generators invert each other on these images.</summary>
    public Tensor CycleLoss(Tensor realA, Tensor realB)
    {
        CheckImages(realA, nameof(realA));
        CheckImages(realB, nameof(realB));
        return MeanAbsoluteError(GeneratorBA.Forward(GeneratorAB.Forward(realA)), realA)
            + MeanAbsoluteError(GeneratorAB.Forward(GeneratorBA.Forward(realB)), realB);
    }

    /// <summary>Translates images of A into B, G in evaluation mode, not recorded for autograd.</summary>
    /// <param name="imagesA">Rows (N, 784) in [0, 1], the course's sample layout.</param>
    /// <returns>Rows (N, 784) in [0, 1].</returns>
    public Tensor TranslateAToB(Tensor imagesA) => Translate(GeneratorAB, imagesA, nameof(imagesA));

    /// <summary>Translates images of B into A, F in evaluation mode, not recorded for autograd.</summary>
    public Tensor TranslateBToA(Tensor imagesB) => Translate(GeneratorBA, imagesB, nameof(imagesB));

    private static Tensor Translate(Module<Tensor, Tensor> network, Tensor rows, string name) =>
        TranslationNetworks.Translate(network, rows, images => images, "CycleGan", name);

    private static Sequential PatchDiscriminator(int channels, Generator? generator) =>
        new(TranslationNetworks.PatchFeatures(1, channels, generator), TranslationNetworks.PatchLogits(channels, generator));

    private static Tensor MeanAbsoluteError(Tensor output, Tensor target) => TranslationNetworks.MeanAbsoluteError(output, target);

    private static void CheckImages(Tensor images, string name) => TranslationNetworks.CheckImages(images, "CycleGan", name);
}
