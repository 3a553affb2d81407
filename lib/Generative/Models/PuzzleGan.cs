using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>The parts of the Puzzle-GAN generator's loss (see <see cref="PuzzleGan.GeneratorLoss"/>).</summary>
/// <param name="Total">adversarial + λ_rec · reconstruction.</param>
/// <param name="Adversarial">The non-saturating loss of the completed images.</param>
/// <param name="Reconstruction">mean |G(parts) − x| over the whole image.</param>
public sealed record PuzzleGanLosses(Tensor Total, Tensor Adversarial, Tensor Reconstruction);

/// <summary>
/// Puzzle-GAN's idea at lesson size (Lee, Yun, Choi, Yoo, Yang and Oh, ECCV 2018, "Unsupervised Holistic Image
/// Generation from Key Local Patches", https://arxiv.org/abs/1703.10730): given a few parts of an image and where they are, a generator
/// draws the whole image; a discriminator judges whether the assembled image looks real, and an L1 term ties it to the
/// image the parts came from. Here the parts are quadrants of a 28 x 28 image (14 x 14 each), some kept, the rest
/// blank, the way lesson 05's PixelCNN completed the lower half from the upper one.
/// </summary>
/// <remarks>
/// <code>
/// parts = m ⊙ x                    m: 1 on the kept quadrants, 0 elsewhere
/// x̂ = m ⊙ x + (1 − m) ⊙ G([parts, m])          (the kept parts are pasted back: G only fills the gaps)
/// L_D = BCE(D(x), 1) + BCE(D(x̂), 0)             L_G = −log σ(D(x̂)) + λ_rec · mean |G([parts, m]) − x|
/// </code>
/// <para>The original is given the parts without their positions, so it also learns where each belongs and predicts a
/// mask of the object; here the parts come with their positions, which leaves the idea itself: draw the whole from
/// the parts. G is <see cref="CycleGan"/>'s encoder-decoder reading two channels (the parts and
/// the mask), D its PatchGAN. λ_rec = 10. Images are (N, 1, 28, 28) in [−1, 1]; the blank of a missing part is 0, the
/// middle of that range, and the mask channel tells G which zeros are missing rather than grey.</para>
/// </remarks>
public sealed class PuzzleGan : Module
{
    private readonly Sequential _generator;
    private readonly Sequential _discriminator;

    /// <summary>Creates both networks.</summary>
    /// <param name="channels">C, the networks' first width.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public PuzzleGan(int channels = 16, Generator? generator = null)
    {
        Channels = channels;
        _generator = TranslationNetworks.Translator(2, channels, generator);
        _discriminator = new Sequential(TranslationNetworks.PatchFeatures(1, channels, generator), TranslationNetworks.PatchLogits(channels, generator));
    }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>λ_rec.</summary>
    public double ReconstructionWeight { get; init; } = 10;

    /// <summary>What G's optimiser steps.</summary>
    public IEnumerable<Tensor> GeneratorParameters => _generator.Parameters();

    /// <summary>What D's optimiser steps.</summary>
    public IEnumerable<Tensor> DiscriminatorParameters => _discriminator.Parameters();

    /// <summary>Masks that keep <paramref name="kept"/> of the four 14 x 14 quadrants of each image, chosen uniformly;
    /// shape (count, 1, 28, 28), 1 on kept pixels.</summary>
    public static Tensor SampleMasks(int count, int kept, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(kept, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kept, 4);
        ArgumentNullException.ThrowIfNull(generator);
        var masks = new float[count * 784];
        for (var n = 0; n < count; n++)
        {
            foreach (var quadrant in generator.Permutation(4).Take(kept))
            {
                var (top, left) = (quadrant / 2 * 14, quadrant % 2 * 14);
                for (var y = top; y < top + 14; y++)
                {
                    masks.AsSpan(n * 784 + y * 28 + left, 14).Fill(1f);
                }
            }
        }
        return Tensor.FromArray(masks, count, 1, 28, 28);
    }

    /// <summary>G's drawing of the whole image from the parts m ⊙ x, recorded for autograd; it never sees the pixels
    /// the mask hides.</summary>
    /// <param name="images">(N, 1, 28, 28) in [−1, 1].</param>
    /// <param name="masks">(N, 1, 28, 28), 1 where a part is kept.</param>
    public Tensor Generate(Tensor images, Tensor masks)
    {
        TranslationNetworks.CheckImages(images, "PuzzleGan", nameof(images));
        TranslationNetworks.CheckImages(masks, "PuzzleGan", nameof(masks));
        return _generator.Forward(Tensor.Cat([images * masks, masks], 1));
    }

    /// <summary>x̂ = m ⊙ x + (1 − m) ⊙ G(parts): the parts themselves where they are known, G's drawing elsewhere.</summary>
    public Tensor Complete(Tensor images, Tensor masks) => Paste(images, Generate(images, masks), masks);

    /// <summary>D's loss: real images against completed ones (detached).</summary>
    public Tensor DiscriminatorLoss(Tensor real, Tensor completed)
    {
        TranslationNetworks.CheckImages(real, "PuzzleGan", nameof(real));
        ArgumentNullException.ThrowIfNull(completed);
        return AdversarialLoss.Discriminator(_discriminator.Forward(real), _discriminator.Forward(completed.Detach()));
    }

    /// <summary>G's loss and its parts for completing <paramref name="real"/> from the parts <paramref name="masks"/>
    /// keeps; also returns the completed images, for D's step.</summary>
    public (PuzzleGanLosses Losses, Tensor Completed) GeneratorLoss(Tensor real, Tensor masks)
    {
        var drawn = Generate(real, masks);
        var completed = Paste(real, drawn, masks);
        var adversarial = AdversarialLoss.NonSaturating(_discriminator.Forward(completed));
        var reconstruction = TranslationNetworks.MeanAbsoluteError(drawn, real);
        return (new PuzzleGanLosses(adversarial + reconstruction * (float)ReconstructionWeight, adversarial, reconstruction), completed);
    }

    /// <summary>One training step: G steps on <see cref="GeneratorLoss"/>, then D on the same completions (detached).</summary>
    /// <param name="real">Real images (N, 1, 28, 28) in [−1, 1].</param>
    /// <param name="masks">The parts G is given, (N, 1, 28, 28).</param>
    /// <param name="generatorOptimizer">Steps <see cref="GeneratorParameters"/>.</param>
    /// <param name="discriminatorOptimizer">Steps <see cref="DiscriminatorParameters"/>.</param>
    /// <returns>G's losses and D's loss, as computed before the step.</returns>
    public (PuzzleGanLosses Generator, Tensor Discriminator) TrainingStep(Tensor real, Tensor masks, Optimizer generatorOptimizer,
        Optimizer discriminatorOptimizer)
    {
        ArgumentNullException.ThrowIfNull(generatorOptimizer);
        ArgumentNullException.ThrowIfNull(discriminatorOptimizer);
        generatorOptimizer.ZeroGrad();
        var (losses, completed) = GeneratorLoss(real, masks);
        losses.Total.Backward();
        generatorOptimizer.Step();
        discriminatorOptimizer.ZeroGrad();
        var discriminatorLoss = DiscriminatorLoss(real, completed);
        discriminatorLoss.Backward();
        discriminatorOptimizer.Step();
        return (losses, discriminatorLoss);
    }

    /// <summary>Completes rows (N, 784) in [0, 1] from the parts <paramref name="masks"/> keeps, G in evaluation mode,
    /// not recorded for autograd; returns rows in [0, 1].</summary>
    public Tensor CompleteRows(Tensor rows, Tensor masks)
    {
        TranslationNetworks.CheckImages(masks, "PuzzleGan", nameof(masks));
        var drawn = TranslationNetworks.Translate(_generator, rows, images => Tensor.Cat([images * masks, masks], 1), "PuzzleGan", nameof(rows));
        return Paste(rows, drawn, masks.Reshape(-1, 784));
    }

    /// <summary>m ⊙ known + (1 − m) ⊙ drawn: the kept parts as they are, G's drawing in the gaps.</summary>
    private static Tensor Paste(Tensor known, Tensor drawn, Tensor masks) => known * masks + drawn * (1f - masks);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"channels: {Channels}";
}
