using System.Diagnostics;
using Generative.Evaluation;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Weights;

/// <summary>A <see cref="Vae"/> trained by <see cref="VaeRecipe.Train"/>.</summary>
/// <param name="Model">The trained VAE.</param>
/// <param name="TestNll">Its importance-sampled NLL estimate on the test images (<see cref="VaeRecipe.MeanNll"/>).</param>
/// <param name="Seconds">Training time.</param>
public sealed record TrainedVae(Vae Model, double TestNll, double Seconds);

/// <summary>
/// The recipe of the shipped VAE, lesson 08's model (784-400-20, ReLU, Bernoulli decoder) trained on the 60,000
/// binarized training images: Adam 1e-3, batches of 100, seeded like <see cref="WeightRecipes"/> (initial weights,
/// mini-batch order, and the reparameterisation's ε from the shuffle generator). Lesson 13 loads it into TorchSharp.
/// </summary>
public static class VaeRecipe
{
    /// <summary>The name on the command line and in the catalogue.</summary>
    public const string Name = "vae";

    /// <summary>The architecture in words, with what its NLL means.</summary>
    public const string Description = "VAE 784-400-20 (ReLU), Bernoulli decoder; NLL is the importance-sampled estimate with K = 100";

    /// <summary>Adam's rate.</summary>
    public const double LearningRate = 1e-3;

    /// <summary>The default number of epochs: about a minute on 2 cores.</summary>
    public const int Epochs = 20;

    /// <summary>Importance samples per image in <see cref="MeanNll"/>.</summary>
    public const int ImportanceSamples = 100;

    /// <summary>The NLL the catalogue states: <see cref="Likelihood.MeanNllEstimate"/> with
    /// <see cref="ImportanceSamples"/> draws per image from a generator seeded 3, in batches of 500.</summary>
    public static double MeanNll(Vae model, Tensor images) => Likelihood.MeanNllEstimate(model, images, ImportanceSamples, new Generator(3));

    /// <summary>Trains from <see cref="WeightRecipes.InitialWeights"/> with batches shuffled by
    /// <see cref="WeightRecipes.Shuffles"/>; progress goes to standard error.</summary>
    /// <param name="epochCount">Epochs; at least 1.</param>
    /// <param name="batchSize">Images per mini-batch; at least 1.</param>
    /// <param name="train">Binarized training images (N, 784).</param>
    /// <param name="test">Binarized test images.</param>
    public static TrainedVae Train(int epochCount, int batchSize, Tensor train, Tensor test)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var model = new Vae(784, 400, 20, WeightRecipes.InitialWeights);
        var optimizer = new Adam(model.Parameters(), LearningRate);
        Console.Error.WriteLine($"{Description}: {epochCount} epochs, batch {batchSize}, Adam {LearningRate:0e0}");
        var clock = Stopwatch.StartNew();
        Trainer.Fit(model, optimizer, train, epochCount, batchSize, WeightRecipes.Shuffles, progress: Trainer.ConsoleProgress, reportEvery: 100);
        var seconds = clock.Elapsed.TotalSeconds;
        var nll = MeanNll(model, test);
        Console.Error.WriteLine(FormattableString.Invariant($"{Description}: test NLL {nll:F2} nats, {seconds / 60:F1} min"));
        return new TrainedVae(model, nll, seconds);
    }
}
