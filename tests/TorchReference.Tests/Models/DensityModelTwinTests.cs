using Generative.Models;
using Generative.NN;
using Generative;
using Generative.Tensors;
using TorchSharp;
using Xunit.Abstractions;
using static TorchReference.Tests.Models.TwinCheck;

namespace TorchReference.Tests.Models;

/// <summary>
/// The course's likelihood models against TorchSharp twins loaded with the same weights: the loss (the mean negative
/// log-likelihood, or the negative ELBO) and every parameter's gradient on a batch of binarized Fashion-MNIST test
/// images. Seeded initial weights, or the shipped ones where the course ships them (PixelCNN, Row LSTM).
/// </summary>
[Collection(TorchReference.Tests.Ops.TorchGlobalGeneratorCollection.Name)] // twins build torch modules, which draw their initial weights from it
public sealed class DensityModelTwinTests(ITestOutputHelper output)
{
    private const int BatchSize = 8;

    [TorchFact]
    public void Fvsbn_SameWeights_SameLossAndGradients()
    {
        var model = new Fvsbn(784, new Generator(seed: 11));
        var twin = LoadInto(model, new FvsbnTwin(784));
        CompareLikelihood("FVSBN", model, twin, twin.loss);
    }

    [TorchFact]
    public void Nade_SameWeights_SameLossAndGradients()
    {
        var model = new Nade(784, 500, new Generator(seed: 12));
        var twin = LoadInto(model, new NadeTwin(784, 500));
        CompareLikelihood("NADE", model, twin, twin.loss);
    }

    [TorchFact]
    public void Made_SameWeights_SameLossAndGradients()
    {
        var model = new Made(784, [500, 500], new Generator(seed: 13));
        var twin = LoadInto(model, new MadeTwin(784, model.HiddenDegrees));
        CompareLikelihood("MADE", model, twin, twin.loss);
    }

    [TorchFact]
    public void PixelCnn_ShippedWeights_SameLossAndGradients()
    {
        var model = new PixelCnn(28, 28, channels: 32, layers: 5, inputKernel: 21);
        Pretrained.Load(model, "pixelcnn");
        var twin = LoadInto(model, new PixelCnnTwin(28, 28, channels: 32, layers: 5, inputKernel: 21));
        CompareLikelihood("PixelCNN", model, twin, twin.loss);
    }

    [TorchFact]
    public void GatedPixelCnn_SameWeights_SameLossAndGradients()
    {
        var model = new GatedPixelCnn(28, 28, channels: 10, layers: 3, inputKernel: 7, generator: new Generator(seed: 17));
        var twin = LoadInto(model, new GatedPixelCnnTwin(28, 28, channels: 10, layers: 3, inputKernel: 7));
        CompareLikelihood("gated PixelCNN", model, twin, twin.loss);
    }

    [TorchFact]
    public void RowLstm_ShippedWeights_SameLossAndGradients()
    {
        var model = new RowLstm(28, 28, hiddenSize: 16);
        Pretrained.Load(model, "rowlstm");
        var twin = LoadInto(model, new RowLstmTwin(28, 28, hiddenSize: 16));
        CompareLikelihood("Row LSTM", model, twin, twin.loss);
    }

    [TorchFact]
    public void Vae_SameWeightsAndNoise_SameLossAndGradients()
    {
        var model = new Vae(784, 400, 20, new Generator(seed: 14));
        var twin = LoadInto(model, new VaeTwin(784, 400, 20));
        var check = new TwinCheck(output, "VAE");
        var x = TwinData.Binary(BatchSize);
        // The loss's only random draw is ε ~ N(0, I) of shape (N, Z): the same seed gives the twin the same ε.
        var epsilon = Tensor.Randn([BatchSize, 20], new Generator(seed: 15));
        check.Phase("negative ELBO", model, twin, () => model.Loss(x, new Generator(seed: 15)), () => twin.loss(ToTorch(x), ToTorch(epsilon)));
        check.Report();
    }

    [TorchFact]
    public void Aae_SameWeights_SameLossesAndGradientsInEveryPhase()
    {
        var model = new Aae(784, 400, 2, discriminatorUnits: 128, generator: new Generator(seed: 16));
        var twin = LoadInto(model, new AaeTwin(784, 400, 2, 128));
        var check = new TwinCheck(output, "AAE");
        var x = TwinData.Binary(BatchSize);
        var prior = model.SamplePrior(BatchSize, new Generator(seed: 17));

        check.Phase("reconstruction", model, twin, () => model.ReconstructionLoss(x), () => twin.reconstruction_loss(ToTorch(x)));
        check.Phase("discriminator", model, twin, () => model.DiscriminatorLoss(model.Encode(x), prior),
            () => twin.discriminator_loss(twin.encode(ToTorch(x)), ToTorch(prior)));
        check.Phase("encoder", model, twin, () => model.EncoderLoss(model.Encode(x)), () => twin.encoder_loss(twin.encode(ToTorch(x))));
        check.Report();
    }

    /// <summary>log p(x) of every example of the batch (the course's likelihood outside autograd, NADE's fused sweep
    /// among them, against the twin's conditionals' cross-entropies), then the loss and its gradients.</summary>
    private void CompareLikelihood(string name, AutoregressiveModel model, torch.nn.Module<torch.Tensor, torch.Tensor> twin, Func<torch.Tensor, torch.Tensor> twinLoss)
    {
        var check = new TwinCheck(output, name);
        var x = TwinData.Binary(BatchSize);
        using (Tensor.NoGrad())
        using (torch.no_grad())
        {
            var twinLogProb = torch.nn.functional.binary_cross_entropy_with_logits(twin.forward(ToTorch(x)), ToTorch(x), reduction: torch.nn.Reduction.None).sum(1).neg();
            check.Outputs("log p(x) per example", model.LogProb(x), twinLogProb);
        }
        check.Phase("mean NLL", model, twin, () => model.Loss(x), () => twinLoss(ToTorch(x)));
        check.Report();
    }
}
