using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// Progressive GAN (Karras, Aila, Laine and Lehtinen 2018, "Progressive Growing of GANs for Improved Quality,
/// Stability, and Variation", https://arxiv.org/abs/1710.10196) at Fashion-MNIST's size: both networks start at 7 x 7
/// and grow to 14 x 14 and 28 x 28, each new layer faded in while the old path fades out, so that the easy coarse
/// structure is learned first and every new layer starts from a working network.
/// </summary>
/// <remarks>
/// <code>
/// stage 0 (7 x 7):    x = tanh(toImage₀(h₀))                               h₀ = block₀(z)
/// stage s, α ∈ [0, 1]: x = tanh((1 − α) · up(toImage_{s−1}(h_{s−1})) + α · toImage_s(block_s(h_{s−1})))
/// D at stage s:       f = α · block_s(fromImage_s(x)) + (1 − α) · fromImage_{s−1}(pool(x)), then blocks s−1 … 1, head
/// </code>
/// <para>up is nearest-neighbour doubling, pool 2 x 2 averaging (<see cref="Resample"/>). At α = 0 a grown network
/// computes exactly what the smaller one did (G's image is the old image upsampled; D reads an upsampled image as the
/// old D read the original), so growing does not disturb training; α then rises to 1 and the new layers take over.
/// Real images are shown at the current resolution, blended the same way
/// (<see cref="RealImages"/>).</para>
/// <para>Layers (C channels throughout): G's block₀ is Linear Z → C·7·7 and a 3 x 3 convolution, each followed by
/// LeakyReLU(0.2); block₁ and block₂ upsample and apply two 3 x 3 convolutions; toImage_s is a 1 x 1 convolution to one
/// channel. D mirrors it: fromImage_s is a 1 x 1 convolution and LeakyReLU; block₂ and block₁ apply two 3 x 3
/// convolutions and pool; the head is the minibatch standard deviation (<see cref="MinibatchStdDev"/>, which the paper
/// introduced), a 3 x 3 convolution and a Linear read-out. No batch norm: the paper replaces it in G by pixel-wise
/// feature normalisation, used here too (each pixel's feature vector scaled to unit mean square), and D has none. The
/// paper's equalised learning rate is left out.</para>
/// </remarks>
public sealed class ProgressiveGan : Gan
{
    /// <summary>The resolution of each stage.</summary>
    public static IReadOnlyList<int> Resolutions { get; } = [7, 14, 28];

    private readonly ProgressiveGenerator _generator;
    private readonly ProgressiveDiscriminator _discriminator;

    /// <summary>Creates both networks at stage 0 (7 x 7).</summary>
    /// <param name="latentDimensions">Z.</param>
    /// <param name="channels">C, the width of every layer.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public ProgressiveGan(int latentDimensions = 64, int channels = 32, Generator? generator = null)
        : base(latentDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
        _generator = new ProgressiveGenerator(latentDimensions, channels, generator);
        _discriminator = new ProgressiveDiscriminator(channels, generator);
    }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>The current stage: 0, 1 or 2 for 7 x 7, 14 x 14 or 28 x 28.</summary>
    public int Stage { get; private set; }

    /// <summary>The newest stage's weight in the fade-in, in [0, 1]; always 1 at stage 0.</summary>
    public double Alpha { get; private set; } = 1;

    /// <summary>The side of the images the networks work on now.</summary>
    public int Resolution => Resolutions[Stage];

    /// <summary>D = 784: samples are shown at 28 x 28 whatever the stage (see <see cref="SampleFrom"/>).</summary>
    public override int Dimensions => 28 * 28;

    /// <inheritdoc/>
    public override Module<Tensor, Tensor> GeneratorNetwork => _generator;

    /// <inheritdoc/>
    public override Module<Tensor, Tensor> DiscriminatorNetwork => _discriminator;

    /// <summary>Moves both networks to <paramref name="stage"/> with fade-in weight <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The stage is not 0, 1 or 2, or α is outside [0, 1] (or is not 1 at
    /// stage 0, which has nothing to fade from).</exception>
    public void Grow(int stage, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stage);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stage, Resolutions.Count - 1);
        if (!(alpha is >= 0 and <= 1) || stage == 0 && alpha != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha,
                $"ProgressiveGan: α must lie in [0, 1] (and be 1 at stage 0, the first resolution); got {alpha} at stage {stage}.");
        }
        (Stage, Alpha) = (stage, alpha);
        (_generator.Stage, _generator.Alpha) = (stage, (float)alpha);
        (_discriminator.Stage, _discriminator.Alpha) = (stage, (float)alpha);
    }

    /// <summary>Real images as D sees them now: (N, 1, R, R) in [−1, 1] at the current resolution R, average-pooled
    /// from 28 x 28; during a fade-in, α times them plus (1 − α) times the previous resolution's image upsampled, as the
    /// paper blends them, so real and generated images change the same way while a layer fades in.</summary>
    /// <param name="rows">Rows (N, 784) in [−1, 1], or images (N, 1, 28, 28).</param>
    public Tensor RealImages(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!(rows.Rank == 2 && rows.Size(1) == 784 || rows.Rank == 4 && rows.Size(1) == 1 && rows.Size(2) == 28 && rows.Size(3) == 28))
        {
            throw new ArgumentException($"ProgressiveGan: real images must be rows (N, 784) or (N, 1, 28, 28), got ({string.Join(", ", rows.Shape)}).", nameof(rows));
        }
        var images = rows.Rank == 2 ? rows.Reshape(-1, 1, 28, 28) : rows;
        for (var side = 28; side > Resolution; side /= 2)
        {
            images = Resample.AveragePool2x(images);
        }
        return Alpha >= 1 ? images : images * (float)Alpha + Resample.Upsample2x(Resample.AveragePool2x(images)) * (float)(1 - Alpha);
    }

    /// <summary>G(z) at the current stage and α, G in evaluation mode, not recorded for autograd; images smaller than
    /// 28 x 28 are upsampled (each pixel a block), so samples of every stage share the course's layout.</summary>
    /// <returns>Shape (N, 784), values in [0, 1].</returns>
    public override Tensor SampleFrom(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return DrawInEvaluationMode(GeneratorNetwork, () =>
        {
            var images = Generate(z);
            for (var side = Resolution; side < 28; side *= 2)
            {
                images = Resample.Upsample2x(images);
            }
            return SampleLayout.FromSigned(images);
        });
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"latentDimensions: {LatentDimensions}, channels: {Channels}, stage: {Stage}, alpha: {Alpha}";

    /// <summary>Each pixel's feature vector divided by its root mean square over the channels (the paper's pixel norm).</summary>
    private static Tensor PixelNorm(Tensor maps) => maps / (maps.Pow(2).Mean([1], keepDim: true) + 1e-8f).Sqrt();

    private static Conv2d Conv3(int channels, Generator? generator) => new(channels, channels, kernelSize: 3, padding: 1, generator: generator);

    private sealed class ProgressiveGenerator : Module<Tensor, Tensor>
    {
        private readonly int _channels;
        private readonly Linear _project;
        private readonly Conv2d[] _convs;
        private readonly Conv2d[] _toImage;

        public ProgressiveGenerator(int latentDimensions, int channels, Generator? generator)
        {
            _channels = channels;
            _project = new Linear(latentDimensions, channels * 7 * 7, generator: generator);
            // One convolution at stage 0, two at each later stage: _convs[0], then [1], [2] and [3], [4].
            _convs = [.. Enumerable.Range(0, 5).Select(_ => Conv3(channels, generator))];
            _toImage = [.. Enumerable.Range(0, 3).Select(_ => new Conv2d(channels, 1, kernelSize: 1, generator: generator))];
        }

        public int Stage { get; set; }

        public float Alpha { get; set; } = 1;

        public override Tensor Forward(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            var h = PixelNorm(_project.Forward(input).Reshape(-1, _channels, 7, 7).LeakyRelu(0.2f));
            h = PixelNorm(_convs[0].Forward(h).LeakyRelu(0.2f));
            Tensor? previous = null;
            for (var stage = 1; stage <= Stage; stage++)
            {
                previous = h;
                h = Resample.Upsample2x(h);
                h = PixelNorm(_convs[2 * stage - 1].Forward(h).LeakyRelu(0.2f));
                h = PixelNorm(_convs[2 * stage].Forward(h).LeakyRelu(0.2f));
            }
            var image = _toImage[Stage].Forward(h);
            if (previous is not null && Alpha < 1)
            {
                image = image * Alpha + Resample.Upsample2x(_toImage[Stage - 1].Forward(previous)) * (1 - Alpha);
            }
            return image.Tanh();
        }
    }

    private sealed class ProgressiveDiscriminator : Module<Tensor, Tensor>
    {
        private readonly Conv2d[] _fromImage;
        private readonly Conv2d[] _convs;
        private readonly MinibatchStdDev _batchStd = new();
        private readonly Conv2d _headConv;
        private readonly Linear _classify;

        public ProgressiveDiscriminator(int channels, Generator? generator)
        {
            _fromImage = [.. Enumerable.Range(0, 3).Select(_ => new Conv2d(1, channels, kernelSize: 1, generator: generator))];
            // Two convolutions per grown stage, as in G: [1], [2] at 14 x 14 and [3], [4] at 28 x 28 ([0] unused).
            _convs = [.. Enumerable.Range(0, 5).Select(_ => Conv3(channels, generator))];
            _headConv = new Conv2d(channels + 1, channels, kernelSize: 3, padding: 1, generator: generator);
            _classify = new Linear(channels * 7 * 7, 1, generator: generator);
        }

        public int Stage { get; set; }

        public float Alpha { get; set; } = 1;

        public override Tensor Forward(Tensor input)
        {
            ArgumentNullException.ThrowIfNull(input);
            var side = Resolutions[Stage];
            if (input.Rank != 4 || input.Size(1) != 1 || input.Size(2) != side || input.Size(3) != side)
            {
                throw new ArgumentException(
                    $"ProgressiveGan: at stage {Stage} the discriminator reads images (N, 1, {side}, {side}), got ({string.Join(", ", input.Shape)}).", nameof(input));
            }
            var h = _fromImage[Stage].Forward(input).LeakyRelu(0.2f);
            for (var stage = Stage; stage >= 1; stage--)
            {
                h = _convs[2 * stage].Forward(h).LeakyRelu(0.2f);
                h = Resample.AveragePool2x(_convs[2 * stage - 1].Forward(h).LeakyRelu(0.2f));
                if (stage == Stage && Alpha < 1)
                {
                    h = h * Alpha + _fromImage[Stage - 1].Forward(Resample.AveragePool2x(input)).LeakyRelu(0.2f) * (1 - Alpha);
                }
            }
            h = _headConv.Forward(_batchStd.Forward(h)).LeakyRelu(0.2f);
            return _classify.Forward(h.Reshape(h.Size(0), -1));
        }
    }
}
