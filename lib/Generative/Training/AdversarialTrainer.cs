using System.Diagnostics;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Training;

/// <summary>
/// The training loop of a two-player game, a GAN's: Goodfellow et al.'s Algorithm 1 with the bookkeeping done once.
/// Each batch of real examples gives the discriminator one step; after every <c>k</c> discriminator steps the
/// generator takes one. Each player has its own optimiser, so a step moves only that player's parameters.
/// </summary>
/// <remarks>
/// <para>The two losses are functions of the batch of real examples, like <see cref="Trainer"/>'s: the discriminator's
/// draws its own fake examples (and detaches them, as <c>Gan.DiscriminatorLoss</c> does, so its step cannot move the
/// generator); the generator's gets the batch too, for its size or for players that need the data (an adversarial
/// autoencoder's encoder). The generator's backward pass also leaves gradients on the discriminator's parameters; the
/// discriminator's optimiser zeroes them before its next step.</para>
/// <para>Shuffles come from the seeded generator passed in, so the same seeds train the same players bit for bit.</para>
/// </remarks>
public static class AdversarialTrainer
{
    /// <summary>Trains both players on <paramref name="data"/> for <paramref name="epochs"/> epochs of mini-batches.</summary>
    /// <param name="discriminatorLoss">The discriminator's loss for a batch of real examples (one element).</param>
    /// <param name="discriminatorOptimizer">Steps the discriminator's parameters.</param>
    /// <param name="generatorLoss">The generator's loss, given the latest batch of real examples (one element).</param>
    /// <param name="generatorOptimizer">Steps the generator's parameters.</param>
    /// <param name="data">Real examples, one per row: shape (N, ...).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Real examples per discriminator step; the last, partial batch of an epoch is used too.</param>
    /// <param name="generator">Source of the shuffles (a fresh permutation per epoch).</param>
    /// <param name="discriminatorSteps">k, discriminator steps per generator step (Goodfellow et al. used 1).</param>
    /// <param name="progress">Called every <paramref name="reportEvery"/> batches, after each epoch and at the end.</param>
    /// <param name="reportEvery">Batches between progress reports.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no examples, or a loss is not one element.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Epochs, batch size, k or report interval below 1.</exception>
    /// <exception cref="InvalidOperationException">A loss became NaN or infinite; the message names the player, the
    /// epoch and the step.</exception>
    public static AdversarialHistory Fit(Func<Tensor, Tensor> discriminatorLoss, Optimizer discriminatorOptimizer,
        Func<Tensor, Tensor> generatorLoss, Optimizer generatorOptimizer, Tensor data, int epochs, int batchSize,
        Generator generator, int discriminatorSteps = 1, Action<AdversarialProgress>? progress = null, int reportEvery = 20)
    {
        ArgumentNullException.ThrowIfNull(discriminatorLoss);
        ArgumentNullException.ThrowIfNull(discriminatorOptimizer);
        ArgumentNullException.ThrowIfNull(generatorLoss);
        ArgumentNullException.ThrowIfNull(generatorOptimizer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(discriminatorSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reportEvery, 1);
        var batches = new MiniBatches(data, batchSize, "AdversarialTrainer.Fit");
        var stepsPerEpoch = batches.StepsPerEpoch;
        var (discriminatorHistory, generatorHistory) = (new List<float>(epochs * stepsPerEpoch), new List<float>());
        var (discriminatorEpochs, generatorEpochs) = (new List<double>(epochs), new List<double>(epochs));
        var clock = Stopwatch.StartNew();

        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var order = generator.Permutation(batches.Count);
            var (discriminatorSum, generatorSum, generatorCount) = (0.0, 0.0, 0);
            var (recentDiscriminator, recentDiscriminatorCount, recentGenerator, recentGeneratorCount) = (0.0, 0, 0.0, 0);
            for (var step = 1; step <= stepsPerEpoch; step++)
            {
                var batch = batches.Take(order, step);

                var dLoss = TakeStep(discriminatorLoss, discriminatorOptimizer, batch, "discriminator", epoch, step);
                discriminatorHistory.Add(dLoss);
                (discriminatorSum, recentDiscriminator, recentDiscriminatorCount) = (discriminatorSum + dLoss, recentDiscriminator + dLoss, recentDiscriminatorCount + 1);
                if (discriminatorHistory.Count % discriminatorSteps == 0)
                {
                    var gLoss = TakeStep(generatorLoss, generatorOptimizer, batch, "generator", epoch, step);
                    generatorHistory.Add(gLoss);
                    (generatorSum, generatorCount) = (generatorSum + gLoss, generatorCount + 1);
                    (recentGenerator, recentGeneratorCount) = (recentGenerator + gLoss, recentGeneratorCount + 1);
                }
                if (progress is not null && step % reportEvery == 0 && step < stepsPerEpoch)
                {
                    progress(new AdversarialProgress(epoch, epochs, step, stepsPerEpoch, recentDiscriminator / recentDiscriminatorCount,
                        recentGeneratorCount > 0 ? recentGenerator / recentGeneratorCount : double.NaN,
                        discriminatorHistory.Count / clock.Elapsed.TotalSeconds));
                    (recentDiscriminator, recentDiscriminatorCount, recentGenerator, recentGeneratorCount) = (0, 0, 0, 0);
                }
            }
            discriminatorEpochs.Add(discriminatorSum / stepsPerEpoch);
            generatorEpochs.Add(generatorCount > 0 ? generatorSum / generatorCount : double.NaN);
            if (progress is not null)
            {
                // The last report carries the epoch's means and no timing: it is what a notebook keeps.
                var finished = epoch == epochs;
                progress(finished
                    ? new AdversarialProgress(epoch, epochs, stepsPerEpoch, stepsPerEpoch, discriminatorEpochs[^1], generatorEpochs[^1], null)
                    : new AdversarialProgress(epoch, epochs, stepsPerEpoch, stepsPerEpoch,
                        recentDiscriminatorCount > 0 ? recentDiscriminator / recentDiscriminatorCount : discriminatorEpochs[^1],
                        recentGeneratorCount > 0 ? recentGenerator / recentGeneratorCount : generatorEpochs[^1],
                        discriminatorHistory.Count / clock.Elapsed.TotalSeconds));
            }
        }
        return new AdversarialHistory(discriminatorHistory, generatorHistory, discriminatorEpochs, generatorEpochs, stepsPerEpoch);
    }

    /// <summary>A progress callback for terminals (see <see cref="Trainer.ConsoleProgress"/>).</summary>
    public static void ConsoleProgress(AdversarialProgress report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.WriteToConsole();
    }

    private static float TakeStep(Func<Tensor, Tensor> loss, Optimizer optimizer, Tensor batch, string player, int epoch, int step)
    {
        optimizer.ZeroGrad();
        var value = loss(batch);
        if (value.Count != 1)
        {
            throw new ArgumentException(
                $"AdversarialTrainer.Fit: the {player}'s loss must be one element, but it has shape {Tensor.FormatShape(value.Shape)}.",
                player == "generator" ? "generatorLoss" : "discriminatorLoss");
        }
        value.Backward();
        optimizer.Step();
        var result = value.Item();
        if (!float.IsFinite(result))
        {
            throw new InvalidOperationException(
                $"AdversarialTrainer.Fit: the {player}'s loss became {result} at epoch {epoch}, step {step}; lower the learning rates or check the data.");
        }
        return result;
    }
}
