using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>DCGAN's generator in TorchSharp: Linear to 128 x 7 x 7, batch norm, ReLU, two transposed convolutions to
/// 28 x 28 (batch norm and ReLU between), tanh.</summary>
internal sealed class DcganGeneratorTwin : nn.Module<Tensor, Tensor>
{
    private readonly Linear project;
    private readonly BatchNorm2d norm0;
    private readonly ConvTranspose2d up1;
    private readonly BatchNorm2d norm1;
    private readonly ConvTranspose2d up2;

    public DcganGeneratorTwin(int inputs) : base(nameof(DcganGeneratorTwin))
    {
        project = nn.Linear(inputs, 128 * 7 * 7, hasBias: false);
        norm0 = nn.BatchNorm2d(128);
        up1 = nn.ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, bias: false);
        norm1 = nn.BatchNorm2d(64);
        up2 = nn.ConvTranspose2d(64, 1, 4, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        var x = norm0.forward(project.forward(z).reshape(-1, 128, 7, 7)).relu();
        x = norm1.forward(up1.forward(x)).relu();
        return up2.forward(x).tanh();
    }
}

/// <summary>DCGAN's discriminator in TorchSharp: two strided convolutions (LeakyReLU 0.2, batch norm on the second)
/// and a Linear read-out; <see cref="features"/> is what InfoGAN's Q head shares.</summary>
internal sealed class DcganDiscriminatorTwin : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d norm2;
    private readonly Linear classify;

    public DcganDiscriminatorTwin(int inChannels) : base(nameof(DcganDiscriminatorTwin))
    {
        conv1 = nn.Conv2d(inChannels, 64, 4, stride: 2, padding: 1);
        conv2 = nn.Conv2d(64, 128, 4, stride: 2, padding: 1, bias: false);
        norm2 = nn.BatchNorm2d(128);
        classify = nn.Linear(128 * 7 * 7, 1);
        RegisterComponents();
    }

    public Tensor features(Tensor images)
    {
        var x = nn.functional.leaky_relu(conv1.forward(images), 0.2);
        x = nn.functional.leaky_relu(norm2.forward(conv2.forward(x)), 0.2);
        return x.flatten(1);
    }

    public Tensor classify_features(Tensor features) => classify.forward(features);

    public override Tensor forward(Tensor images) => classify_features(features(images));
}

/// <summary>DCGAN in TorchSharp: the two networks under the course's names.</summary>
internal sealed class DcganTwin : nn.Module
{
    public readonly DcganGeneratorTwin generator_network;
    public readonly DcganDiscriminatorTwin discriminator_network;

    public DcganTwin(int latentDimensions) : base(nameof(DcganTwin))
    {
        generator_network = new DcganGeneratorTwin(latentDimensions);
        discriminator_network = new DcganDiscriminatorTwin(1);
        RegisterComponents();
    }
}
