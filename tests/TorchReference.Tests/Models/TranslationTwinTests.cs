using Generative;
using Generative.Models;
using Generative.NN;
using Generative.Tensors;
using Xunit.Abstractions;
using static TorchReference.Tests.Models.TwinCheck;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Models;

/// <summary>
/// Lesson 12's image-to-image models against TorchSharp twins loaded with their shipped weights: the generators'
/// total loss and then the discriminators' loss on the translations just made (detached), as a training step orders
/// them, each with every parameter's gradient, on Fashion-MNIST test images.
/// </summary>
[Collection(TorchReference.Tests.Ops.TorchGlobalGeneratorCollection.Name)] // twins build torch modules, which draw their initial weights from it
public sealed class TranslationTwinTests(ITestOutputHelper output)
{
    private const int BatchSize = 8;

    [TorchFact]
    public void CycleGan_ShippedWeights_SameLossesAndGradients()
    {
        var model = new CycleGan(16);
        Pretrained.Load(model, "cyclegan");
        var twin = LoadInto(model, new CycleGanTwin(16, model.CycleWeight, model.IdentityWeight));
        var check = new TwinCheck(output, "CycleGAN");
        var (realA, realB) = (TwinData.Signed(BatchSize), TwinData.Signed(BatchSize, skip: BatchSize));
        (Tensor? A, Tensor? B) fakes = default;
        (TorchTensor? A, TorchTensor? B) twinFakes = default;
        check.Phase("generators", model, twin,
            () =>
            {
                var (losses, fakeA, fakeB) = model.GeneratorLoss(realA, realB);
                fakes = (fakeA, fakeB);
                return losses.Total;
            },
            () =>
            {
                var (total, fakeA, fakeB) = twin.generator_loss(ToTorch(realA), ToTorch(realB));
                twinFakes = (fakeA, fakeB);
                return total;
            });
        check.Phase("discriminators", model, twin, () => model.DiscriminatorLoss(realA, realB, fakes.A!, fakes.B!),
            () => twin.discriminator_loss(ToTorch(realA), ToTorch(realB), InTwinPrecision(twinFakes.A!), InTwinPrecision(twinFakes.B!)));
        check.Report();
    }

    [TorchFact]
    public void StarGan_ShippedWeights_SameLossesAndGradients()
    {
        var model = new StarGan(3, 32);
        Pretrained.Load(model, "stargan");
        var twin = LoadInto(model, new StarGanTwin(3, 32, model.ClassificationWeight, model.ReconstructionWeight));
        var check = new TwinCheck(output, "StarGAN");
        var real = TwinData.Signed(BatchSize);
        int[] domains = [.. Enumerable.Range(0, BatchSize).Select(n => n % 3)];
        int[] targets = [.. domains.Select(domain => (domain + 1) % 3)];
        Tensor? fake = null;
        TorchTensor? twinFake = null;
        check.Phase("generator", model, twin,
            () =>
            {
                var (losses, translated) = model.GeneratorLoss(real, domains, targets);
                fake = translated;
                return losses.Total;
            },
            () =>
            {
                var (total, translated) = twin.generator_loss(ToTorch(real), domains, targets);
                twinFake = translated;
                return total;
            });
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(real, domains, fake!),
            () => twin.discriminator_loss(ToTorch(real), domains, InTwinPrecision(twinFake!)));
        check.Report();
    }

    [TorchFact]
    public void PuzzleGan_ShippedWeights_SameLossesAndGradients()
    {
        var model = new PuzzleGan(16);
        Pretrained.Load(model, "puzzlegan");
        var twin = LoadInto(model, new PuzzleGanTwin(16, model.ReconstructionWeight));
        var check = new TwinCheck(output, "Puzzle-GAN");
        var real = TwinData.Signed(BatchSize);
        var masks = PuzzleGan.SampleMasks(BatchSize, kept: 2, new Generator(seed: 51));
        Tensor? completed = null;
        TorchTensor? twinCompleted = null;
        check.Phase("generator", model, twin,
            () =>
            {
                var (losses, images) = model.GeneratorLoss(real, masks);
                completed = images;
                return losses.Total;
            },
            () =>
            {
                var (total, images) = twin.generator_loss(ToTorch(real), ToTorch(masks));
                twinCompleted = images;
                return total;
            });
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(real, completed!),
            () => twin.discriminator_loss(ToTorch(real), InTwinPrecision(twinCompleted!)));
        check.Report();
    }
}
