using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>StarGAN in TorchSharp: one generator told the target domain as constant planes; a PatchGAN trunk with a
/// real-or-fake head per patch and a domain classifier head.</summary>
internal sealed class StarGanTwin : nn.Module
{
    private readonly int domains;
    private readonly double classificationWeight, reconstructionWeight;
    private readonly Sequential generator;
    private readonly Sequential trunk;
    private readonly Conv2d patch_logits;
    private readonly Linear domain_logits;

    public StarGanTwin(int domains, int channels, double classificationWeight, double reconstructionWeight) : base(nameof(StarGanTwin))
    {
        (this.domains, this.classificationWeight, this.reconstructionWeight) = (domains, classificationWeight, reconstructionWeight);
        generator = TranslationTwins.Translator(1 + domains, channels);
        trunk = TranslationTwins.PatchFeatures(1, channels);
        patch_logits = TranslationTwins.PatchLogits(channels);
        domain_logits = nn.Linear(2 * channels * 7 * 7, domains);
        RegisterComponents();
    }

    public Tensor generate(Tensor images, IReadOnlyList<int> targets) =>
        generator.forward(AdversarialLossTwin.WithLabelPlanes(images, targets, domains));

    public (Tensor Patches, Tensor Domains) discriminate(Tensor images)
    {
        var features = trunk.forward(images);
        return (patch_logits.forward(features), domain_logits.forward(features.flatten(1)));
    }

    /// <summary>G's total loss and its translations.</summary>
    public (Tensor Total, Tensor Fake) generator_loss(Tensor real, IReadOnlyList<int> realDomains, IReadOnlyList<int> targets)
    {
        var fake = generate(real, targets);
        var (patches, domainLogits) = discriminate(fake);
        var classification = nn.functional.cross_entropy(domainLogits, AdversarialLossTwin.Targets(targets));
        var reconstruction = AdversarialLossTwin.MeanAbsoluteError(generate(fake, realDomains), real);
        return (AdversarialLossTwin.NonSaturating(patches) + classification * classificationWeight + reconstruction * reconstructionWeight, fake);
    }

    /// <summary>D's loss: real against (detached) fakes, plus the domain cross-entropy of the real images.</summary>
    public Tensor discriminator_loss(Tensor real, IReadOnlyList<int> realDomains, Tensor fake)
    {
        var (realPatches, realDomainLogits) = discriminate(real);
        var (fakePatches, _) = discriminate(fake.detach());
        return AdversarialLossTwin.Discriminator(realPatches, fakePatches)
            + nn.functional.cross_entropy(realDomainLogits, AdversarialLossTwin.Targets(realDomains)) * classificationWeight;
    }
}
