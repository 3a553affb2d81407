using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// A class-conditional DCGAN (Mirza and Osindero 2014, "Conditional Generative Adversarial Nets",
/// https://arxiv.org/abs/1411.1784, on <see cref="Dcgan"/>'s networks): both players are told the class, so G learns
/// p(x | y) and can be asked for a given class.
/// </summary>
/// <remarks>
/// <code>
/// x = G(z, y)                 min_G max_D  E_{(x, y) ~ data}[log σ(D(x, y))] + E_{z, y}[log(1 − σ(D(G(z, y), y)))]
/// </code>
/// <para>G reads z concatenated with the one-hot label (Z + C inputs to <see cref="DcganGenerator"/>); D reads the
/// image with C more channels, plane c all ones for class c and zeros otherwise (<see cref="DcganDiscriminator"/> with
/// 1 + C input channels). A D that sees the label can reject a sharp image of the wrong class, which forces G to obey
/// it. Text-to-image GANs (Reed et al. 2016) are the same construction with a sentence embedding in place of the one-hot
/// label.</para>
/// <para>Images pass between the networks as (N, 1, 28, 28) in [−1, 1]; <see cref="Sample"/> and
/// <see cref="SampleClasses"/> return rows (N, 784) in [0, 1].</para>
/// </remarks>
public sealed class ConditionalDcgan : GenerativeModel
{
    /// <summary>Creates both networks.</summary>
    /// <param name="latentDimensions">Z, the size of the noise vector.</param>
    /// <param name="classes">C, the number of classes.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public ConditionalDcgan(int latentDimensions = 64, int classes = 10, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentDimensions);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        LatentDimensions = latentDimensions;
        Classes = classes;
        GeneratorNetwork = new DcganGenerator(latentDimensions + classes, generator);
        DiscriminatorNetwork = new DcganDiscriminator(generator, inChannels: 1 + classes);
    }

    /// <summary>Z.</summary>
    public int LatentDimensions { get; }

    /// <summary>C.</summary>
    public int Classes { get; }

    /// <summary>D = 784.</summary>
    public override int Dimensions => 28 * 28;

    /// <summary>G: (z, one-hot y) of shape (N, Z + C) to images (N, 1, 28, 28) in [−1, 1].</summary>
    public DcganGenerator GeneratorNetwork { get; }

    /// <summary>D: images with label planes, (N, 1 + C, 28, 28), to logits (N, 1).</summary>
    public DcganDiscriminator DiscriminatorNetwork { get; }

    /// <summary>Noise z ~ N(0, I) of shape (count, Z).</summary>
    public Tensor SampleLatent(int count, Generator generator) => Tensor.Randn([count, LatentDimensions], generator);

    /// <summary>G(z, y), recorded for autograd.</summary>
    /// <param name="z">Shape (N, Z).</param>
    /// <param name="labels">One class in [0, C) per row of z.</param>
    public Tensor Generate(Tensor z, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Rank != 2 || z.Size(1) != LatentDimensions)
        {
            throw new ArgumentException($"ConditionalDcgan: noise of shape {Tensor.FormatShape(z.Shape)} must be (N, {LatentDimensions}).", nameof(z));
        }
        return GeneratorNetwork.Forward(Tensor.Cat([z, ClassLabels.OneHot(labels, Classes, z.Size(0), "ConditionalDcgan")], 1));
    }

    /// <summary>D(x, y), the logit that each image is a real example of its label's class.</summary>
    /// <param name="images">(N, 1, 28, 28) or (N, 784), in [−1, 1].</param>
    /// <param name="labels">One class per image.</param>
    /// <returns>Shape (N, 1).</returns>
    public Tensor Discriminate(Tensor images, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        var x = images.Rank switch
        {
            2 when images.Size(1) == 784 => images.Reshape(-1, 1, 28, 28),
            4 when images.Shape[1..].SequenceEqual([1, 28, 28]) => images,
            _ => throw new ArgumentException(
                $"ConditionalDcgan: images must be (N, 784) or (N, 1, 28, 28), got {Tensor.FormatShape(images.Shape)}.", nameof(images)),
        };
        var count = x.Size(0);
        // Plane c of example n is all ones when n's label is c: the one-hot label broadcast over the image.
        var planes = ClassLabels.OneHot(labels, Classes, count, "ConditionalDcgan").Reshape(count, Classes, 1, 1) * Tensor.Ones([1, 1, 28, 28]);
        return DiscriminatorNetwork.Forward(Tensor.Cat([x, planes], 1));
    }

    /// <summary>D's loss on real images with their labels and on generated ones with the labels they were asked for
    /// (detached, so only D receives gradients).</summary>
    public Tensor DiscriminatorLoss(Tensor real, IReadOnlyList<int> realLabels, Tensor fake, IReadOnlyList<int> fakeLabels)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return AdversarialLoss.Discriminator(Discriminate(real, realLabels), Discriminate(fake.Detach(), fakeLabels));
    }

    /// <summary>G's non-saturating loss −mean log σ(D(G(z, y), y)).</summary>
    public Tensor GeneratorLoss(Tensor fake, IReadOnlyList<int> labels) => AdversarialLoss.NonSaturating(Discriminate(fake, labels));

    /// <summary>Draws images of the given classes, G in evaluation mode, not recorded for autograd.</summary>
    /// <returns>Shape (labels.Count, 784), values in [0, 1].</returns>
    public Tensor SampleClasses(IReadOnlyList<int> labels, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(generator);
        return SampleFrom(SampleLatent(labels.Count, generator), labels);
    }

    /// <summary>G(z, y) for noise and classes the caller chose (the same z for every class, say), G in evaluation mode,
    /// not recorded for autograd.</summary>
    /// <returns>Shape (N, 784), values in [0, 1].</returns>
    public Tensor SampleFrom(Tensor z, IReadOnlyList<int> labels) =>
        DrawInEvaluationMode(GeneratorNetwork, () => SampleLayout.FromSigned(Generate(z, labels)));

    /// <summary>Draws <paramref name="count"/> images, the classes in turn (0, 1, …, C − 1, 0, …).</summary>
    public override Tensor Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return SampleClasses(Enumerable.Range(0, count).Select(n => n % Classes).ToArray(), generator);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"latentDimensions: {LatentDimensions}, classes: {Classes}";
}
