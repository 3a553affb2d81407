using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>Puzzle-GAN in TorchSharp: G draws the whole image from the kept parts and the mask; the completed image
/// pastes the kept parts back; D is a PatchGAN; G's loss adds λ_rec times the L1 of its drawing.</summary>
internal sealed class PuzzleGanTwin : nn.Module
{
    private readonly double reconstructionWeight;
    private readonly Sequential generator;
    private readonly Sequential discriminator;

    public PuzzleGanTwin(int channels, double reconstructionWeight) : base(nameof(PuzzleGanTwin))
    {
        this.reconstructionWeight = reconstructionWeight;
        generator = TranslationTwins.Translator(2, channels);
        discriminator = TranslationTwins.PatchDiscriminator(channels);
        RegisterComponents();
    }

    /// <summary>G's total loss and the completed images.</summary>
    public (Tensor Total, Tensor Completed) generator_loss(Tensor real, Tensor masks)
    {
        var drawn = generator.forward(cat([real * masks, masks], 1));
        var completed = real * masks + drawn * (1 - masks);
        var total = AdversarialLossTwin.NonSaturating(discriminator.forward(completed))
            + AdversarialLossTwin.MeanAbsoluteError(drawn, real) * reconstructionWeight;
        return (total, completed);
    }

    /// <summary>D's loss: real against the (detached) completions.</summary>
    public Tensor discriminator_loss(Tensor real, Tensor completed) =>
        AdversarialLossTwin.Discriminator(discriminator.forward(real), discriminator.forward(completed.detach()));
}
