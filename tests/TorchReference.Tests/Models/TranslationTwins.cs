using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>The networks lesson 12's translators share, in TorchSharp: the encoder-decoder with a residual block, and
/// the PatchGAN trunk and head; each an <c>nn.Sequential</c> indexed as the course's.</summary>
internal static class TranslationTwins
{
    public static Sequential Translator(int inChannels, int channels)
    {
        var wide = 2 * channels;
        return nn.Sequential(
            nn.Conv2d(inChannels, channels, 3, padding: 1, bias: false), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, wide, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(wide), nn.ReLU(),
            new ResidualBlockTwin(wide),
            nn.ConvTranspose2d(wide, channels, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, 1, 3, padding: 1), nn.Tanh());
    }

    public static Sequential PatchFeatures(int inChannels, int channels) => nn.Sequential(
        nn.Conv2d(inChannels, channels, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2),
        nn.Conv2d(channels, 2 * channels, 4, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(2 * channels), nn.LeakyReLU(0.2));

    public static Conv2d PatchLogits(int channels) => nn.Conv2d(2 * channels, 1, 3, padding: 1);

    /// <summary>PatchFeatures then PatchLogits: one logit per 7 x 7 patch.</summary>
    public static Sequential PatchDiscriminator(int channels) => nn.Sequential(PatchFeatures(1, channels), PatchLogits(channels));

    /// <summary>x + BN(Conv(ReLU(BN(Conv(x))))).</summary>
    private sealed class ResidualBlockTwin : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d norm1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d norm2;

        public ResidualBlockTwin(int channels) : base(nameof(ResidualBlockTwin))
        {
            conv1 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
            norm1 = nn.BatchNorm2d(channels);
            conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
            norm2 = nn.BatchNorm2d(channels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => x + norm2.forward(conv2.forward(norm1.forward(conv1.forward(x)).relu()));
    }
}
