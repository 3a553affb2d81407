using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// A DCGAN for 28 x 28 single-channel images (Radford, Metz and Chintala 2015, "Unsupervised Representation Learning
/// with Deep Convolutional Generative Adversarial Networks", https://arxiv.org/abs/1511.06434), trained as a GAN
/// (Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661).
/// </summary>
/// <remarks>
/// <para>An implicit model (see <see cref="Gan"/> for the value function, the losses and sampling); Z = 64 by default.</para>
/// <para>
/// Generator: Linear Z → 128·7·7, reshape to (128, 7, 7), batch norm, ReLU; ConvTranspose 128 → 64 (kernel 4, stride 2,
/// padding 1) to 14 x 14, batch norm, ReLU; ConvTranspose 64 → 1 to 28 x 28; tanh, so images lie in [−1, 1].
/// Discriminator: Conv 1 → 64 (kernel 4, stride 2, padding 1) to 14 x 14, LeakyReLU(0.2); Conv 64 → 128 to 7 x 7, batch
/// norm, LeakyReLU(0.2); Linear 128·7·7 → 1. Layers followed by batch norm have no bias (the norm's shift replaces it).
/// The generator is trained with the non-saturating loss −log σ(D(G(z))) (<see cref="Gan.GeneratorLoss"/>). The
/// networks work on (N, 1, 28, 28) images in [−1, 1]; <see cref="Gan.Sample"/> returns rows (N, 784) in [0, 1].
/// </para>
/// </remarks>
public sealed class Dcgan : Gan
{
    /// <summary>Creates both networks.</summary>
    /// <param name="latentDimensions">Z, the size of the noise vector.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Dcgan(int latentDimensions = 64, Generator? generator = null)
        : base(latentDimensions)
    {
        GeneratorNetwork = new DcganGenerator(latentDimensions, generator);
        DiscriminatorNetwork = new DcganDiscriminator(generator);
    }

    /// <summary>D = 784: samples are 28 x 28 images as rows.</summary>
    public override int Dimensions => 28 * 28;

    /// <summary>G: noise (N, Z) to images (N, 1, 28, 28) in [−1, 1].</summary>
    public override DcganGenerator GeneratorNetwork { get; }

    /// <summary>D: images (N, 1, 28, 28) (or rows (N, 784)) in [−1, 1] to logits (N, 1).</summary>
    public override DcganDiscriminator DiscriminatorNetwork { get; }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"latentDimensions: {LatentDimensions}";
}

/// <summary>DCGAN's generator for 28 x 28 images: z (N, Z) → Linear → (N, 128, 7, 7) → BN, ReLU → ConvTranspose to
/// (N, 64, 14, 14) → BN, ReLU → ConvTranspose to (N, 1, 28, 28) → tanh. See <see cref="Dcgan"/>.</summary>
public sealed class DcganGenerator : Module<Tensor, Tensor>
{
    private readonly Linear _project;
    private readonly BatchNorm2d _norm0;
    private readonly ConvTranspose2d _up1;
    private readonly BatchNorm2d _norm1;
    private readonly ConvTranspose2d _up2;

    /// <summary>Creates the network.</summary>
    public DcganGenerator(int latentDimensions = 64, Generator? generator = null)
    {
        _project = new Linear(latentDimensions, 128 * 7 * 7, bias: false, generator);
        _norm0 = new BatchNorm2d(128);
        _up1 = new ConvTranspose2d(128, 64, kernelSize: 4, stride: 2, padding: 1, bias: false, generator: generator);
        _norm1 = new BatchNorm2d(64);
        _up2 = new ConvTranspose2d(64, 1, kernelSize: 4, stride: 2, padding: 1, generator: generator);
    }

    /// <summary>G(z).</summary>
    /// <param name="input">z, shape (N, Z).</param>
    /// <returns>Shape (N, 1, 28, 28), values in [−1, 1].</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = _project.Forward(input).Reshape(-1, 128, 7, 7);
        x = _norm0.Forward(x).Relu();
        x = _norm1.Forward(_up1.Forward(x)).Relu();
        return _up2.Forward(x).Tanh();
    }
}

/// <summary>DCGAN's discriminator for 28 x 28 images: Conv to (N, 64, 14, 14) → LeakyReLU(0.2) → Conv to
/// (N, 128, 7, 7) → BN → LeakyReLU(0.2) → Linear → (N, 1) logits. See <see cref="Dcgan"/>.</summary>
public sealed class DcganDiscriminator : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _norm2;
    private readonly Linear _classify;

    /// <summary>Creates the network.</summary>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <param name="inChannels">Input channels: 1 for images; more when a conditional model appends label planes.</param>
    public DcganDiscriminator(Generator? generator = null, int inChannels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        InChannels = inChannels;
        _conv1 = new Conv2d(inChannels, 64, kernelSize: 4, stride: 2, padding: 1, generator: generator);
        _conv2 = new Conv2d(64, 128, kernelSize: 4, stride: 2, padding: 1, bias: false, generator: generator);
        _norm2 = new BatchNorm2d(128);
        _classify = new Linear(FeatureCount, 1, generator: generator);
    }

    /// <summary>The width of <see cref="Features"/>: 128 channels of 7 x 7.</summary>
    public const int FeatureCount = 128 * 7 * 7;

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>The activations the last layer reads, flattened: shape (N, 6272). InfoGAN's Q head shares them.</summary>
    /// <param name="input">Shape (N, C, 28, 28), or (N, 784) flattened when C = 1.</param>
    public Tensor Features(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 2 && InChannels != 1)
        {
            throw new ArgumentException(
                $"DcganDiscriminator: with {InChannels} input channels the input must be (N, {InChannels}, 28, 28), got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }
        var x = input.Rank == 2 ? input.Reshape(-1, 1, 28, 28) : input;
        x = _conv1.Forward(x).LeakyRelu(0.2f);
        x = _norm2.Forward(_conv2.Forward(x)).LeakyRelu(0.2f);
        return x.Reshape(x.Size(0), FeatureCount);
    }

    /// <summary>D's last layer: <see cref="Features"/> (N, 6272) to logits (N, 1). With <see cref="Features"/> it lets a
    /// caller that also needs the features (InfoGAN's Q) pass the images through the convolutions once.</summary>
    public Tensor Classify(Tensor features) => _classify.Forward(features);

    /// <summary>D(x).</summary>
    /// <param name="input">Images of shape (N, C, 28, 28), or (N, 784) flattened when C = 1.</param>
    /// <returns>Logits, shape (N, 1).</returns>
    public override Tensor Forward(Tensor input) => Classify(Features(input));
}
