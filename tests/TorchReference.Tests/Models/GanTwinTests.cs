using Generative;
using Generative.Models;
using Generative.NN;
using Generative.Tensors;
using TorchSharp;
using Xunit.Abstractions;
using static TorchReference.Tests.Models.TwinCheck;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Models;

/// <summary>
/// The course's GANs against TorchSharp twins loaded with the same weights: the discriminator's loss (real
/// Fashion-MNIST test images against G's images of a fixed noise batch, detached) and the generator's loss, each with
/// the gradient of every parameter of both networks, batch norm in training mode on both sides. The shipped weights
/// where the course ships them; the MLP GAN of lesson 10 from seeded initial weights on seeded points.
/// </summary>
[Collection(TorchReference.Tests.Ops.TorchGlobalGeneratorCollection.Name)] // twins build torch modules, which draw their initial weights from it
public sealed class GanTwinTests(ITestOutputHelper output)
{
    private const int BatchSize = 8;

    [TorchFact]
    public void MlpGan_WithMinibatchStdDev_SameLossesAndGradients()
    {
        var model = new MlpGan(2, 2, 128, 3, minibatchStdDev: true, generator: new Generator(seed: 41));
        var twin = LoadInto(model, new MlpGanTwin(2, 2, 128, 3, minibatchStdDev: true));
        var check = new TwinCheck(output, "MLP GAN");
        var real = Tensor.Randn([BatchSize, 2], new Generator(seed: 42)) * 2f + 1f;
        var z = model.SampleLatent(BatchSize, new Generator(seed: 43));
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(real, model.Generate(z)),
            () => AdversarialLossTwin.Discriminator(twin.discriminate(ToTorch(real)), twin.discriminate(twin.generate(ToTorch(z)).detach())));
        check.Phase("generator", model, twin, () => model.GeneratorLoss(model.Generate(z)),
            () => AdversarialLossTwin.NonSaturating(twin.discriminate(twin.generate(ToTorch(z)))));
        check.Report();
    }

    [TorchFact]
    public void Dcgan_ShippedWeights_SameLossesGradientsAndSamples()
    {
        var model = new Dcgan(64);
        Pretrained.Load(model, "dcgan");
        var twin = LoadInto(model, new DcganTwin(64));
        var check = new TwinCheck(output, "DCGAN");
        var real = TwinData.Signed(BatchSize);
        var z = model.SampleLatent(BatchSize, new Generator(seed: 21));
        var (g, d) = (twin.generator_network, twin.discriminator_network);
        // Samples come from G in evaluation mode: batch norm on the shipped running statistics (compared first, as the
        // phases below move those statistics).
        g.eval();
        using (torch.no_grad())
        {
            check.Outputs("evaluation-mode samples", model.SampleFrom(z), ((g.forward(ToTorch(z)) + 1) * 0.5).reshape(BatchSize, 784));
        }
        g.train();
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(real, model.Generate(z)),
            () => AdversarialLossTwin.Discriminator(d.forward(ToTorch(real)), d.forward(g.forward(ToTorch(z)).detach())));
        check.Phase("generator", model, twin, () => model.GeneratorLoss(model.Generate(z)),
            () => AdversarialLossTwin.NonSaturating(d.forward(g.forward(ToTorch(z)))));
        check.Report();
    }

    [TorchFact]
    public void ConditionalDcgan_ShippedWeights_SameLossesAndGradients()
    {
        var model = new ConditionalDcgan(64, 10);
        Pretrained.Load(model, "cgan");
        var twin = LoadInto(model, new ConditionalDcganTwin(64, 10));
        var check = new TwinCheck(output, "conditional DCGAN");
        var (real, labels) = (TwinData.Signed(BatchSize), TwinData.Labels(BatchSize));
        var z = model.SampleLatent(BatchSize, new Generator(seed: 22));
        int[] asked = [.. Enumerable.Range(0, BatchSize).Select(n => n % 10)];
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(real, labels, model.Generate(z, asked), asked),
            () => AdversarialLossTwin.Discriminator(twin.discriminate(ToTorch(real), labels), twin.discriminate(twin.generate(ToTorch(z), asked).detach(), asked)));
        check.Phase("generator", model, twin, () => model.GeneratorLoss(model.Generate(z, asked), asked),
            () => AdversarialLossTwin.NonSaturating(twin.discriminate(twin.generate(ToTorch(z), asked), asked)));
        check.Report();
    }

    [TorchFact]
    public void InfoGan_ShippedWeightsWithQPerturbations_SameLossesAndGradients()
    {
        var model = new InfoGan(62, 10, 2) { QShift = 2, QNoise = 0.1 };
        Pretrained.Load(model, "infogan");
        var twin = LoadInto(model, new InfoGanTwin(62, 10, 2, qShift: 2, qNoise: 0.1));
        var check = new TwinCheck(output, "InfoGAN");
        var real = TwinData.Signed(BatchSize);
        var z = model.SampleLatent(BatchSize, new Generator(seed: 23));
        var codes = model.SampleCodes(BatchSize, new Generator(seed: 24));
        var continuous = ToTorch(codes.Continuous);
        TorchTensor Fake() => twin.generate(ToTorch(z), codes.Categories, continuous);
        // Q's shifts and noise come from a generator with the same seed on both sides.
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(real, model.Generate(z, codes), codes, 0.1, new Generator(seed: 25)),
            () => twin.discriminator_loss(ToTorch(real), Fake(), codes.Categories, continuous, 0.1, new Generator(seed: 25)));
        check.Phase("generator", model, twin, () => model.GeneratorLoss(model.Generate(z, codes), codes, 0.1, new Generator(seed: 26)),
            () => twin.generator_loss(Fake(), codes.Categories, continuous, 0.1, new Generator(seed: 26)));
        check.Report();
    }

    [TorchTheory]
    [InlineData(0, 1.0)]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.25)]
    [InlineData(2, 1.0)]
    public void ProgressiveGan_ShippedWeightsAtStage_SameLossesAndGradients(int stage, double alpha)
    {
        var model = new ProgressiveGan(64, 32);
        Pretrained.Load(model, "progan");
        model.Grow(stage, alpha);
        var twin = LoadInto(model, new ProgressiveGanTwin(64, 32));
        twin.grow(stage, alpha);
        var check = new TwinCheck(output, $"Progressive GAN, stage {stage}, alpha {alpha}");
        var real = TwinData.Signed(BatchSize);
        var z = model.SampleLatent(BatchSize, new Generator(seed: 27));
        check.Outputs("real images at the stage", model.RealImages(real), twin.real_images(ToTorch(real)));
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(model.RealImages(real), model.Generate(z)),
            () => AdversarialLossTwin.Discriminator(twin.discriminate(twin.real_images(ToTorch(real))), twin.discriminate(twin.generate(ToTorch(z)).detach())));
        check.Phase("generator", model, twin, () => model.GeneratorLoss(model.Generate(z)),
            () => AdversarialLossTwin.NonSaturating(twin.discriminate(twin.generate(ToTorch(z)))));
        check.Report();
    }
}
