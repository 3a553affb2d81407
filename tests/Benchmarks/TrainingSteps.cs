using Generative;
using Generative.Data;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Benchmarks;

/// <summary>
/// One training step of each model in the side-by-side benchmark, written as a learner would write it with the
/// library, and matching tests/Benchmarks/peer/models_peer.py layer for layer: same sizes, losses, optimisers and
/// hyperparameters, batch 128 of binarized Fashion-MNIST.
/// </summary>
internal static class TrainingSteps
{
    public const int BatchSize = 128;

    /// <summary>The models in table order, with the issue's speed targets (ours / PyTorch's best steps/s).</summary>
    public static IReadOnlyList<(string Name, string Description, double Target)> Models { get; } =
    [
        ("vae", "VAE 784-400-20, ReLU MLPs", 1.5),
        ("made", "MADE 784-500-500-784", 1.5),
        ("nade", "NADE, 500 hidden units", 10),
        ("dcgan", "DCGAN 28x28, one D + one G step", 1.5), // issue 13 raised it from 1
    ];

    /// <summary>The first 10,000 training images, binarized (pixel ≥ 128 → 1), in full batches of 128 in file order,
    /// each of shape (128, 784): the batches the peer script reads from the same file.</summary>
    public static List<Tensor> LoadBatches()
    {
        var images = FashionMnist.LoadEmbedded(DatasetSplit.Train).Binarize();
        var pixels = images.PixelsPerImage;
        var batches = new List<Tensor>();
        for (var start = 0; start + BatchSize <= images.Count; start += BatchSize)
        {
            var values = new float[BatchSize * pixels];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = images.Pixels[start * pixels + i];
            }
            batches.Add(Tensor.FromArray(values, BatchSize, pixels));
        }
        return batches;
    }

    /// <summary>One Adam step (learning rate 1e-3) on <paramref name="loss"/> of a batch, returning the loss.</summary>
    private static Func<Tensor, float> AdamSteps(Generative.NN.Module model, Func<Tensor, Tensor> loss)
    {
        var optimizer = new Adam(model.Parameters(), learningRate: 1e-3);
        return x =>
        {
            optimizer.ZeroGrad();
            var value = loss(x);
            value.Backward();
            optimizer.Step();
            return value.Item();
        };
    }

    /// <summary>A fresh model and optimiser(s) for <paramref name="name"/>, as a function that trains one step on a
    /// batch and returns the loss.</summary>
    public static Func<Tensor, float> Create(string name, ulong seed = 0)
    {
        var generator = new Generator(seed);
        switch (name)
        {
            case "vae":
            {
                var model = new Vae(784, 400, 20, generator);
                var noise = new Generator(seed + 1);
                return AdamSteps(model, x => model.Loss(x, noise));
            }
            case "made":
            {
                var model = new Made(784, [500, 500], generator);
                return AdamSteps(model, model.Loss);
            }
            case "nade":
            {
                var model = new Nade(784, 500, generator);
                return AdamSteps(model, model.Loss);
            }
            case "dcgan":
            {
                var model = new Dcgan(64, generator);
                var optimizerG = new Adam(model.GeneratorNetwork.Parameters(), learningRate: 2e-4, beta1: 0.5, beta2: 0.999);
                var optimizerD = new Adam(model.DiscriminatorNetwork.Parameters(), learningRate: 2e-4, beta1: 0.5, beta2: 0.999);
                var noise = new Generator(seed + 1);
                return x =>
                {
                    var real = (x * 2f - 1f).Reshape(-1, 1, 28, 28);
                    var fake = model.Generate(model.SampleLatent(real.Size(0), noise));
                    optimizerD.ZeroGrad();
                    var lossD = model.DiscriminatorLoss(real, fake);
                    lossD.Backward();
                    optimizerD.Step();
                    optimizerG.ZeroGrad();
                    var lossG = model.GeneratorLoss(fake);
                    lossG.Backward();
                    optimizerG.Step();
                    return lossD.Item() + lossG.Item();
                };
            }
            default:
                throw new ArgumentException($"unknown model '{name}'; expected one of {string.Join(", ", Models.Select(m => m.Name))}.", nameof(name));
        }
    }
}
