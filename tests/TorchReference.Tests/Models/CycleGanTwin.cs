using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>CycleGAN in TorchSharp: G: A → B and F: B → A, a PatchGAN per domain; the generators' loss is both
/// non-saturating terms plus λ_cycle times both cycles' L1 plus λ_identity times both identity L1s.</summary>
internal sealed class CycleGanTwin : nn.Module
{
    private readonly double cycleWeight, identityWeight;
    private readonly Sequential generator_ab;
    private readonly Sequential generator_ba;
    private readonly Sequential discriminator_a;
    private readonly Sequential discriminator_b;

    public CycleGanTwin(int channels, double cycleWeight, double identityWeight) : base(nameof(CycleGanTwin))
    {
        (this.cycleWeight, this.identityWeight) = (cycleWeight, identityWeight);
        generator_ab = TranslationTwins.Translator(1, channels);
        generator_ba = TranslationTwins.Translator(1, channels);
        discriminator_a = TranslationTwins.PatchDiscriminator(channels);
        discriminator_b = TranslationTwins.PatchDiscriminator(channels);
        RegisterComponents();
    }

    /// <summary>The generators' total loss, and F(b) and G(a) for the discriminators' step.</summary>
    public (Tensor Total, Tensor FakeA, Tensor FakeB) generator_loss(Tensor realA, Tensor realB)
    {
        var fakeB = generator_ab.forward(realA);
        var fakeA = generator_ba.forward(realB);
        var adversarial = AdversarialLossTwin.NonSaturating(discriminator_b.forward(fakeB)) + AdversarialLossTwin.NonSaturating(discriminator_a.forward(fakeA));
        var cycle = AdversarialLossTwin.MeanAbsoluteError(generator_ba.forward(fakeB), realA) + AdversarialLossTwin.MeanAbsoluteError(generator_ab.forward(fakeA), realB);
        var identity = AdversarialLossTwin.MeanAbsoluteError(generator_ab.forward(realB), realB) + AdversarialLossTwin.MeanAbsoluteError(generator_ba.forward(realA), realA);
        return (adversarial + cycle * cycleWeight + identity * identityWeight, fakeA, fakeB);
    }

    /// <summary>Both discriminators: real images of their domain against the (detached) translations into it.</summary>
    public Tensor discriminator_loss(Tensor realA, Tensor realB, Tensor fakeA, Tensor fakeB) =>
        AdversarialLossTwin.Discriminator(discriminator_a.forward(realA), discriminator_a.forward(fakeA.detach()))
        + AdversarialLossTwin.Discriminator(discriminator_b.forward(realB), discriminator_b.forward(fakeB.detach()));
}
