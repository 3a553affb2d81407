using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// A DCGAN for 28 x 28 single-channel images (Radford, Metz and Chintala 2015, "Unsupervised Representation Learning
/// with Deep Convolutional Generative Adversarial Networks", https://arxiv.org/abs/1511.06434), trained as a GAN
/// (Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661).
/// </summary>
/// <remarks>
/// <para>An implicit model: no density, only a sampler and a critic.</para>
/// <code>
/// x = G(z),  z ~ N(0, I_Z)                         (Z = 64)
/// D(x) = logit of P(x is real)
/// min_G max_D  E_data[log σ(D(x))] + E_z[log(1 − σ(D(G(z))))]
/// </code>
/// <para>
/// Generator: Linear Z → 128·7·7, reshape to (128, 7, 7), batch norm, ReLU; ConvTranspose 128 → 64 (kernel 4, stride 2,
/// padding 1) to 14 x 14, batch norm, ReLU; ConvTranspose 64 → 1 to 28 x 28; tanh, so images lie in [−1, 1].
/// Discriminator: Conv 1 → 64 (kernel 4, stride 2, padding 1) to 14 x 14, LeakyReLU(0.2); Conv 64 → 128 to 7 x 7, batch
/// norm, LeakyReLU(0.2); Linear 128·7·7 → 1. Layers followed by batch norm have no bias (the norm's shift replaces it).
/// The generator is trained with the non-saturating loss −log σ(D(G(z))) (<see cref="GeneratorLoss"/>).
/// </para>
/// </remarks>
public sealed class Dcgan : Module
{
    /// <summary>Creates both networks.</summary>
    /// <param name="latentDimensions">Z, the size of the noise vector.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Dcgan(int latentDimensions = 64, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentDimensions);
        LatentDimensions = latentDimensions;
        GeneratorNetwork = new DcganGenerator(latentDimensions, generator);
        DiscriminatorNetwork = new DcganDiscriminator(generator);
    }

    /// <summary>Z.</summary>
    public int LatentDimensions { get; }

    /// <summary>G: noise (N, Z) to images (N, 1, 28, 28) in [−1, 1].</summary>
    public DcganGenerator GeneratorNetwork { get; }

    /// <summary>D: images (N, 1, 28, 28) to logits (N, 1).</summary>
    public DcganDiscriminator DiscriminatorNetwork { get; }

    /// <summary>Noise z ~ N(0, I) of shape (count, Z).</summary>
    public Tensor SampleLatent(int count, Generator generator) => Tensor.Randn([count, LatentDimensions], generator);

    /// <summary>G(z).</summary>
    /// <param name="z">Shape (N, Z).</param>
    /// <returns>Shape (N, 1, 28, 28), values in [−1, 1].</returns>
    public Tensor Generate(Tensor z) => GeneratorNetwork.Forward(z);

    /// <summary>D(x), the logit that each image is real.</summary>
    /// <param name="images">Shape (N, 1, 28, 28) (or (N, 784)), values in [−1, 1].</param>
    /// <returns>Shape (N, 1).</returns>
    public Tensor Discriminate(Tensor images) => DiscriminatorNetwork.Forward(images);

    /// <summary>
    /// The discriminator's loss: binary cross-entropy of D on real images against 1 plus on generated ones against 0,
    /// −mean log σ(D(x)) − mean log(1 − σ(D(G(z)))). <paramref name="fake"/> is detached, so only D receives gradients.
    /// </summary>
    /// <param name="real">Data images, shape (N, 1, 28, 28), scaled to [−1, 1].</param>
    /// <param name="fake">Generated images G(z), shape (M, 1, 28, 28).</param>
    public Tensor DiscriminatorLoss(Tensor real, Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        var realLogits = Discriminate(real);
        var fakeLogits = Discriminate(fake.Detach());
        return Losses.BinaryCrossEntropyWithLogits(realLogits, Tensor.OnesLike(realLogits))
            + Losses.BinaryCrossEntropyWithLogits(fakeLogits, Tensor.ZerosLike(fakeLogits));
    }

    /// <summary>The generator's non-saturating loss −mean log σ(D(G(z))): binary cross-entropy of D on generated images
    /// against 1. Gradients reach G through <paramref name="fake"/> (and D's parameters too; step only G's optimiser).</summary>
    /// <param name="fake">Generated images G(z), shape (M, 1, 28, 28), still attached to G's graph.</param>
    public Tensor GeneratorLoss(Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        var logits = Discriminate(fake);
        return Losses.BinaryCrossEntropyWithLogits(logits, Tensor.OnesLike(logits));
    }

    /// <summary>Draws <paramref name="count"/> images G(z), z ~ N(0, I), with batch norm in evaluation mode (running
    /// statistics); not recorded for autograd. The networks' training mode is restored afterwards.</summary>
    /// <returns>Shape (count, 1, 28, 28), values in [−1, 1].</returns>
    public Tensor Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var training = GeneratorNetwork.Training;
        GeneratorNetwork.Eval();
        try
        {
            using (Tensor.NoGrad())
            {
                return Generate(SampleLatent(count, generator));
            }
        }
        finally
        {
            GeneratorNetwork.Train(training);
        }
    }

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
    public DcganDiscriminator(Generator? generator = null)
    {
        _conv1 = new Conv2d(1, 64, kernelSize: 4, stride: 2, padding: 1, generator: generator);
        _conv2 = new Conv2d(64, 128, kernelSize: 4, stride: 2, padding: 1, bias: false, generator: generator);
        _norm2 = new BatchNorm2d(128);
        _classify = new Linear(128 * 7 * 7, 1, generator: generator);
    }

    /// <summary>D(x).</summary>
    /// <param name="input">Images of shape (N, 1, 28, 28), or (N, 784) flattened.</param>
    /// <returns>Logits, shape (N, 1).</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = input.Rank == 2 ? input.Reshape(-1, 1, 28, 28) : input;
        x = _conv1.Forward(x).LeakyRelu(0.2f);
        x = _norm2.Forward(_conv2.Forward(x)).LeakyRelu(0.2f);
        return _classify.Forward(x.Reshape(x.Size(0), 128 * 7 * 7));
    }
}
