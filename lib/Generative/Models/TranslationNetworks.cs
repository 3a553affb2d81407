using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>The networks and checks that lesson 12's image-to-image models share (<see cref="CycleGan"/>,
/// <see cref="StarGan"/>), sized for 28 x 28 grey images on a CPU.</summary>
internal static class TranslationNetworks
{
    /// <summary>An encoder-decoder from (N, inChannels, 28, 28) to (N, 1, 28, 28) in [−1, 1]: Conv 3 x 3 → C, strided
    /// Conv to 2C at 14 x 14, a residual block, a transposed Conv back to C at 28 x 28, Conv 3 x 3 to one channel, tanh;
    /// batch norm and ReLU between.</summary>
    public static Sequential Translator(int inChannels, int channels, Generator? generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        var wide = 2 * channels;
        return new Sequential(
            new Conv2d(inChannels, channels, kernelSize: 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(channels), new Relu(),
            new Conv2d(channels, wide, kernelSize: 4, stride: 2, padding: 1, bias: false, generator: generator), new BatchNorm2d(wide), new Relu(),
            new ResidualBlock(wide, generator),
            new ConvTranspose2d(wide, channels, kernelSize: 4, stride: 2, padding: 1, bias: false, generator: generator), new BatchNorm2d(channels), new Relu(),
            new Conv2d(channels, 1, kernelSize: 3, padding: 1, generator: generator), new Tanh());
    }

    /// <summary>A PatchGAN trunk: two strided convolutions from (N, inChannels, 28, 28) to (N, 2C, 7, 7), LeakyReLU(0.2),
    /// batch norm on the second.</summary>
    public static Sequential PatchFeatures(int inChannels, int channels, Generator? generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return new Sequential(
            new Conv2d(inChannels, channels, kernelSize: 4, stride: 2, padding: 1, generator: generator), new LeakyRelu(0.2f),
            new Conv2d(channels, 2 * channels, kernelSize: 4, stride: 2, padding: 1, bias: false, generator: generator), new BatchNorm2d(2 * channels),
            new LeakyRelu(0.2f));
    }

    /// <summary>A 3 x 3 convolution from the trunk's 2C channels to one real-or-fake logit per 7 x 7 patch position.</summary>
    public static Conv2d PatchLogits(int channels, Generator? generator) => new(2 * channels, 1, kernelSize: 3, padding: 1, generator: generator);

    /// <summary>mean |output − target|.</summary>
    public static Tensor MeanAbsoluteError(Tensor output, Tensor target) => (output - target).Abs().Mean();

    /// <summary>Throws unless <paramref name="images"/> is (N, 1, 28, 28).</summary>
    public static void CheckImages(Tensor images, string model, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        if (images.Rank != 4 || images.Size(1) != 1 || images.Size(2) != 28 || images.Size(3) != 28)
        {
            throw new ArgumentException($"{model}: {name} must be images (N, 1, 28, 28) in [−1, 1], got {Tensor.FormatShape(images.Shape)}.", name);
        }
    }

    /// <summary>Runs <paramref name="network"/> on rows (N, 784) in [0, 1] turned into (N, 1, 28, 28) in [−1, 1] and
    /// through <paramref name="prepare"/> (which may append condition planes), in evaluation mode and without autograd,
    /// and returns rows in [0, 1]; the network's mode is restored.</summary>
    public static Tensor Translate(Module<Tensor, Tensor> network, Tensor rows, Func<Tensor, Tensor> prepare, string model, string name)
    {
        ArgumentNullException.ThrowIfNull(rows, name);
        if (rows.Rank != 2 || rows.Size(1) != 784)
        {
            throw new ArgumentException($"{model}: images to translate must be rows (N, 784) in [0, 1], got {Tensor.FormatShape(rows.Shape)}.", name);
        }
        return GenerativeModel.DrawInEvaluationMode(network, () => SampleLayout.FromSigned(network.Forward(prepare(SampleLayout.ToSigned(rows, 1, 28, 28)))));
    }

    /// <summary>x + BN(Conv(ReLU(BN(Conv(x))))): CycleGAN's residual block, which lets a translation default to "change
    /// little".</summary>
    private sealed class ResidualBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv1;
        private readonly BatchNorm2d _norm1;
        private readonly Conv2d _conv2;
        private readonly BatchNorm2d _norm2;

        public ResidualBlock(int channels, Generator? generator)
        {
            _conv1 = new Conv2d(channels, channels, kernelSize: 3, padding: 1, bias: false, generator: generator);
            _norm1 = new BatchNorm2d(channels);
            _conv2 = new Conv2d(channels, channels, kernelSize: 3, padding: 1, bias: false, generator: generator);
            _norm2 = new BatchNorm2d(channels);
        }

        public override Tensor Forward(Tensor input) => input + _norm2.Forward(_conv2.Forward(_norm1.Forward(_conv1.Forward(input)).Relu()));
    }
}
