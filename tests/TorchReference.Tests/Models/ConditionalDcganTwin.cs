using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>The class-conditional DCGAN in TorchSharp: G reads [z, one-hot y]; D reads the image with one constant
/// plane per class.</summary>
internal sealed class ConditionalDcganTwin : nn.Module
{
    private readonly int classes;
    private readonly DcganGeneratorTwin generator_network;
    private readonly DcganDiscriminatorTwin discriminator_network;

    public ConditionalDcganTwin(int latentDimensions, int classes) : base(nameof(ConditionalDcganTwin))
    {
        this.classes = classes;
        generator_network = new DcganGeneratorTwin(latentDimensions + classes);
        discriminator_network = new DcganDiscriminatorTwin(1 + classes);
        RegisterComponents();
    }

    public Tensor generate(Tensor z, IReadOnlyList<int> labels) =>
        generator_network.forward(cat([z, AdversarialLossTwin.OneHot(labels, classes, z.dtype)], 1));

    public Tensor discriminate(Tensor images, IReadOnlyList<int> labels) =>
        discriminator_network.forward(AdversarialLossTwin.WithLabelPlanes(images, labels, classes));
}
