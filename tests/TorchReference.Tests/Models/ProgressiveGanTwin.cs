using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>Progressive GAN in TorchSharp at a given stage and fade-in α: pixel-normalised generator growing 7 → 14 →
/// 28 by nearest-neighbour upsampling, discriminator shrinking by 2 x 2 average pooling to a minibatch-std head; the
/// new layers blended with the old path by α on both sides, and real images blended the same way.</summary>
internal sealed class ProgressiveGanTwin : nn.Module
{
    private readonly ProgressiveGeneratorTwin generator;
    private readonly ProgressiveDiscriminatorTwin discriminator;

    public ProgressiveGanTwin(int latentDimensions, int channels) : base(nameof(ProgressiveGanTwin))
    {
        generator = new ProgressiveGeneratorTwin(latentDimensions, channels);
        discriminator = new ProgressiveDiscriminatorTwin(channels);
        RegisterComponents();
    }

    public void grow(int stage, double alpha)
    {
        (generator.Stage, generator.Alpha) = (stage, alpha);
        (discriminator.Stage, discriminator.Alpha) = (stage, alpha);
    }

    public Tensor generate(Tensor z) => generator.forward(z);

    public Tensor discriminate(Tensor images) => discriminator.forward(images);

    /// <summary>28 x 28 images pooled to the stage's side, and during a fade-in blended with the coarser image upsampled.</summary>
    public Tensor real_images(Tensor images)
    {
        var side = 28;
        for (; side > 7 << generator.Stage; side /= 2)
        {
            images = nn.functional.avg_pool2d(images, 2);
        }
        return generator.Alpha >= 1 ? images : images * generator.Alpha + Upsample(nn.functional.avg_pool2d(images, 2)) * (1 - generator.Alpha);
    }

    internal static Tensor Upsample(Tensor maps) => nn.functional.interpolate(maps, scale_factor: [2, 2], mode: InterpolationMode.Nearest);

    internal static Tensor PixelNorm(Tensor maps) => maps / (maps.pow(2).mean([1], keepdim: true) + 1e-8).sqrt();

    internal static Tensor LeakyRelu(Tensor x) => nn.functional.leaky_relu(x, 0.2);

    private sealed class ProgressiveGeneratorTwin : nn.Module<Tensor, Tensor>
    {
        private readonly long channels;
        private readonly Linear project;
        private readonly ModuleList<Conv2d> convs;
        private readonly ModuleList<Conv2d> to_image;

        public ProgressiveGeneratorTwin(int latentDimensions, int channels) : base(nameof(ProgressiveGeneratorTwin))
        {
            this.channels = channels;
            project = nn.Linear(latentDimensions, channels * 7 * 7);
            convs = nn.ModuleList([.. Enumerable.Range(0, 5).Select(_ => nn.Conv2d(channels, channels, 3, padding: 1))]);
            to_image = nn.ModuleList([.. Enumerable.Range(0, 3).Select(_ => nn.Conv2d(channels, 1, 1))]);
            RegisterComponents();
        }

        public int Stage { get; set; }

        public double Alpha { get; set; } = 1;

        public override Tensor forward(Tensor z)
        {
            var h = PixelNorm(LeakyRelu(project.forward(z).reshape(-1, channels, 7, 7)));
            h = PixelNorm(LeakyRelu(convs[0].forward(h)));
            Tensor? previous = null;
            for (var stage = 1; stage <= Stage; stage++)
            {
                previous = h;
                h = Upsample(h);
                h = PixelNorm(LeakyRelu(convs[2 * stage - 1].forward(h)));
                h = PixelNorm(LeakyRelu(convs[2 * stage].forward(h)));
            }
            var image = to_image[Stage].forward(h);
            if (previous is not null && Alpha < 1)
            {
                image = image * Alpha + Upsample(to_image[Stage - 1].forward(previous)) * (1 - Alpha);
            }
            return image.tanh();
        }
    }

    private sealed class ProgressiveDiscriminatorTwin : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<Conv2d> from_image;
        private readonly ModuleList<Conv2d> convs;
        private readonly MinibatchStdDevTwin batch_std;
        private readonly Conv2d head_conv;
        private readonly Linear classify;

        public ProgressiveDiscriminatorTwin(int channels) : base(nameof(ProgressiveDiscriminatorTwin))
        {
            from_image = nn.ModuleList([.. Enumerable.Range(0, 3).Select(_ => nn.Conv2d(1, channels, 1))]);
            convs = nn.ModuleList([.. Enumerable.Range(0, 5).Select(_ => nn.Conv2d(channels, channels, 3, padding: 1))]);
            batch_std = new MinibatchStdDevTwin();
            head_conv = nn.Conv2d(channels + 1, channels, 3, padding: 1);
            classify = nn.Linear(channels * 7 * 7, 1);
            RegisterComponents();
        }

        public int Stage { get; set; }

        public double Alpha { get; set; } = 1;

        public override Tensor forward(Tensor images)
        {
            var h = LeakyRelu(from_image[Stage].forward(images));
            for (var stage = Stage; stage >= 1; stage--)
            {
                h = LeakyRelu(convs[2 * stage].forward(h));
                h = nn.functional.avg_pool2d(LeakyRelu(convs[2 * stage - 1].forward(h)), 2);
                if (stage == Stage && Alpha < 1)
                {
                    h = h * Alpha + LeakyRelu(from_image[Stage - 1].forward(nn.functional.avg_pool2d(images, 2))) * (1 - Alpha);
                }
            }
            h = LeakyRelu(head_conv.forward(batch_std.forward(h)));
            return classify.forward(h.flatten(1));
        }
    }
}
