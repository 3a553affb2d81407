using CourseGenerator = Generative.Generator;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>
/// InfoGAN in TorchSharp on DCGAN's networks: G reads [z, one-hot category, continuous codes]; Q's head reads D's
/// features of a copy of the fakes shifted and noised as the course does (drawn from the same course generator, so
/// both sides see the same shifts and noise), and its loss is the category's cross-entropy plus a weighted half
/// squared error of the continuous codes.
/// </summary>
internal sealed class InfoGanTwin : nn.Module
{
    private readonly int categories, continuousCodes, qShift;
    private readonly double qNoise;
    private readonly Linear q_hidden;
    private readonly BatchNorm1d q_norm;
    private readonly Linear q_output;
    private readonly DcganGeneratorTwin generator_network;
    private readonly DcganDiscriminatorTwin discriminator_network;

    public InfoGanTwin(int latentDimensions, int categories, int continuousCodes, int qShift, double qNoise) : base(nameof(InfoGanTwin))
    {
        (this.categories, this.continuousCodes, this.qShift, this.qNoise) = (categories, continuousCodes, qShift, qNoise);
        generator_network = new DcganGeneratorTwin(latentDimensions + categories + continuousCodes);
        discriminator_network = new DcganDiscriminatorTwin(1);
        q_hidden = nn.Linear(128 * 7 * 7, 128, hasBias: false);
        q_norm = nn.BatchNorm1d(128);
        q_output = nn.Linear(128, categories + continuousCodes);
        RegisterComponents();
    }

    public Tensor generate(Tensor z, IReadOnlyList<int> codeCategories, Tensor continuous) =>
        generator_network.forward(cat([z, AdversarialLossTwin.OneHot(codeCategories, categories, z.dtype), continuous], 1));

    /// <summary>D's loss with the fakes detached: adversarial plus the information loss.</summary>
    public Tensor discriminator_loss(Tensor real, Tensor fake, IReadOnlyList<int> codeCategories, Tensor continuous, double continuousWeight, CourseGenerator perturbation)
    {
        var detached = fake.detach();
        return AdversarialLossTwin.Discriminator(discriminator_network.forward(real), discriminator_network.forward(detached))
            + information_loss(detached, codeCategories, continuous, continuousWeight, perturbation);
    }

    /// <summary>G's loss: non-saturating plus the information loss.</summary>
    public Tensor generator_loss(Tensor fake, IReadOnlyList<int> codeCategories, Tensor continuous, double continuousWeight, CourseGenerator perturbation) =>
        AdversarialLossTwin.NonSaturating(discriminator_network.forward(fake))
        + information_loss(fake, codeCategories, continuous, continuousWeight, perturbation);

    private Tensor information_loss(Tensor fake, IReadOnlyList<int> codeCategories, Tensor continuous, double continuousWeight, CourseGenerator perturbation)
    {
        var features = discriminator_network.features(perturb(fake, perturbation));
        var output = q_output.forward(nn.functional.leaky_relu(q_norm.forward(q_hidden.forward(features)), 0.2));
        var (logits, means) = (output.narrow(1, 0, categories), output.narrow(1, categories, continuousCodes));
        var categorical = nn.functional.cross_entropy(logits, AdversarialLossTwin.Targets(codeCategories));
        return categorical + 0.5 * (means - continuous).pow(2).sum(1).mean() * continuousWeight;
    }

    /// <summary>Each image shifted by (dy, dx) in [−s, s]² with the background (−1) coming in at the border, then
    /// Gaussian noise: the draws in the course's order (dy then dx per image, then the noise).</summary>
    private Tensor perturb(Tensor fake, CourseGenerator perturbation)
    {
        var s = qShift;
        var padded = nn.functional.pad(fake, [s, s, s, s], value: -1);
        var count = (int)fake.shape[0];
        var shifted = new List<Tensor>();
        for (var n = 0; n < count; n++)
        {
            var dy = perturbation.NextInt(2 * s + 1);
            var dx = perturbation.NextInt(2 * s + 1);
            shifted.Add(padded.narrow(0, n, 1).narrow(2, dy, 28).narrow(3, dx, 28));
        }
        var images = cat(shifted, 0);
        var noise = TwinCheck.ToTorch(Generative.Tensors.Tensor.Randn([count, 1, 28, 28], perturbation)).to(fake.dtype);
        return images + noise * qNoise;
    }
}
