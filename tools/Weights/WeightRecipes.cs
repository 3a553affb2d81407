using System.Diagnostics;
using System.Globalization;
using Generative.Evaluation;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Weights;

/// <summary>How to train one model on binarized Fashion-MNIST: its architecture, the same architecture for the PyTorch
/// peer, and the training budget: <paramref name="Epochs"/> epochs of Adam at <paramref name="LearningRate"/>, of which
/// the last <paramref name="DecayEpochs"/> (all, when there are fewer) at a tenth of it.</summary>
/// <param name="Name">The key on the command line and in <c>weights/weights.json</c>, e.g. "pixelcnn".</param>
/// <param name="Create">Builds the model, drawing its initial weights from the generator it is given.</param>
/// <param name="PeerSpec">The architecture for <c>tests/Benchmarks/peer/results_peer.py</c>'s <c>--spec</c>; empty when
/// the model has no size to give.</param>
/// <param name="Description">The architecture in words, as the results table (docs/results.md) names it.</param>
/// <param name="LearningRate">Adam's learning rate before the decay.</param>
/// <param name="Epochs">The default number of epochs.</param>
/// <param name="DecayEpochs">How many of the last epochs run at a tenth of <paramref name="LearningRate"/>.</param>
public sealed record WeightRecipe(string Name, Func<Generator, AutoregressiveModel> Create, string PeerSpec, string Description,
    double LearningRate, int Epochs, int DecayEpochs = 0)
{
    /// <summary>How many of <paramref name="epochCount"/> epochs run at the decayed rate.</summary>
    public int DecayedOf(int epochCount) => Math.Min(DecayEpochs, epochCount);

    /// <summary>The rates in words: "3e-3", or "3e-3, last 2 at 3e-4" for a budget of <paramref name="epochCount"/>
    /// epochs with a decay.</summary>
    public string LearningRates(int epochCount)
    {
        var rate = LearningRate.ToString("0.###e0", CultureInfo.InvariantCulture);
        var decayed = DecayedOf(epochCount);
        return decayed == 0 ? rate : $"{rate}, last {decayed} at {(LearningRate / 10).ToString("0.###e0", CultureInfo.InvariantCulture)}";
    }
}

/// <summary>A model trained by <see cref="WeightRecipes.Train"/>, with what the training measured.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="TestNll">Mean NLL in nats over the test images it was given.</param>
/// <param name="TrainNll">Mean training loss of the last epoch.</param>
/// <param name="Seconds">Training time (the test NLL not included).</param>
public sealed record TrainedModel(AutoregressiveModel Model, double TestNll, double TrainNll, double Seconds);

/// <summary>
/// The one table of training recipes for the autoregressive models of lessons 04 and 05, and the one training loop
/// that follows them: the weights tool trains the shipped weights with it, the results benchmark
/// (<c>tests/Benchmarks -- results</c>) the numbers of the results table (docs/results.md).
/// </summary>
/// <remarks>Training is seeded: initial weights from <see cref="InitialWeights"/>, mini-batch order from
/// <see cref="Shuffles"/>, so the same recipe, budget and data give the same bytes on the same instruction set. Changing
/// the order of the calls in <see cref="Train"/> changes the weights, and the shipped files then no longer match their
/// recipe.</remarks>
public static class WeightRecipes
{
    /// <summary>Every recipe by name, in the order of the results table (docs/results.md).</summary>
    public static IReadOnlyDictionary<string, WeightRecipe> All { get; } = new[]
    {
        new WeightRecipe("fvsbn", g => new Fvsbn(784, g), "", "FVSBN", 1e-2, 20),
        new WeightRecipe("nade", g => new Nade(784, 500, g), "500", "NADE, H = 500", 3e-3, 20),
        new WeightRecipe("made", g => new Made(784, [2000], g), "2000", "MADE 784-2000-784", 1e-3, 20),
        new WeightRecipe("pixelcnn", g => new PixelCnn(28, 28, channels: 32, layers: 5, inputKernel: 21, generator: g), "32x5k21",
            "PixelCNN, 32 channels, 21x21 A + 5 B layers", 3e-3, 10, DecayEpochs: 2),
        new WeightRecipe("rowlstm", g => new RowLstm(28, 28, hiddenSize: 16, g), "16", "Row LSTM, 16 units", 3e-3, 3),
    }.ToDictionary(r => r.Name); // a Dictionary filled once enumerates in insertion order

    /// <summary>Every name the tool trains: the autoregressive recipes, the VAE, the classifier, then the GANs.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Keys, VaeRecipe.Name, ClassifierRecipe.Name, .. GanRecipes.Names, .. TranslationRecipes.Names];

    /// <summary>The default epochs of <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public static int DefaultEpochs(string name) =>
        name == ClassifierRecipe.Name ? ClassifierRecipe.Epochs : name == VaeRecipe.Name ? VaeRecipe.Epochs : GanRecipes.Names.Contains(name) ? GanRecipes.Epochs
        : TranslationRecipes.Names.Contains(name) ? TranslationRecipes.Epochs(name) : All[name].Epochs;

    /// <summary>A fresh generator of the initial weights (the results benchmark's peer loads the same draw).</summary>
    public static Generator InitialWeights => new(1);

    /// <summary>A fresh generator of the mini-batch order.</summary>
    public static Generator Shuffles => new(2);

    /// <summary>Trains <paramref name="recipe"/>'s model from <see cref="InitialWeights"/> for
    /// <paramref name="epochCount"/> epochs of Adam in mini-batches of <paramref name="batchSize"/> shuffled by
    /// <see cref="Shuffles"/>, the last <see cref="WeightRecipe.DecayedOf"/> epochs at a tenth of the rate, then
    /// measures its NLL on <paramref name="test"/>. Progress goes to standard error.</summary>
    /// <param name="recipe">What to train.</param>
    /// <param name="epochCount">Epochs in all, decayed ones included; at least 1.</param>
    /// <param name="batchSize">Images per mini-batch; at least 1.</param>
    /// <param name="train">Binarized training images, (count, 784) with pixels 0 or 1.</param>
    /// <param name="test">Binarized test images, same layout.</param>
    public static TrainedModel Train(WeightRecipe recipe, int epochCount, int batchSize, Tensor train, Tensor test)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var model = recipe.Create(InitialWeights);
        var optimizer = new Adam(model.Parameters(), recipe.LearningRate);
        var decayed = recipe.DecayedOf(epochCount);
        Console.Error.WriteLine($"{recipe.Description}: {epochCount} epochs, batch {batchSize}, Adam {recipe.LearningRates(epochCount)}");
        var clock = Stopwatch.StartNew();
        // One shuffle generator and one optimiser (its moments) across both phases: the decay changes only the step size.
        var shuffles = Shuffles;
        TrainingHistory Phase(int epochs) => Trainer.Fit(model.Loss, optimizer, train, epochs, batchSize, shuffles,
            progress: Trainer.ConsoleProgress, reportEvery: 50);
        var history = epochCount > decayed ? Phase(epochCount - decayed) : null;
        if (decayed > 0)
        {
            optimizer.LearningRate = recipe.LearningRate / 10;
            history = Phase(decayed);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var nll = Likelihood.MeanNll(model, test);
        Console.Error.WriteLine(FormattableString.Invariant($"{recipe.Description}: test NLL {nll:F2} nats, {seconds / 60:F1} min"));
        return new TrainedModel(model, nll, history!.EpochLosses[^1], seconds);
    }
}
