using System.Diagnostics;
using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Training;

/// <summary>
/// The training loop every model of the course shares: shuffle, cut into mini-batches, and for each one
/// <c>ZeroGrad, loss, Backward, Step</c>; report progress as it goes and return the loss history.
/// </summary>
/// <remarks>
/// <para>The loop is the one a learner writes by hand in lesson 03; this is it with the bookkeeping done once. The
/// order of examples comes from shuffles drawn from the seeded generator passed in, so the same seed trains the same
/// model bit for bit.</para>
/// <para>Progress goes to a callback: in a notebook, <c>var view = display(TrainingProgress.Start);</c> and
/// <c>progress: view.Update</c>; in a terminal, <see cref="ConsoleProgress"/>.</para>
/// </remarks>
public static class Trainer
{
    /// <summary>Trains on <paramref name="data"/> for <paramref name="epochs"/> epochs of mini-batches.</summary>
    /// <param name="loss">The loss of a batch (a one-element tensor), e.g. <c>model.Loss</c>.</param>
    /// <param name="optimizer">Updates the parameters the loss depends on.</param>
    /// <param name="data">Training examples, one per row: shape (N, ...).</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Examples per step; the last, partial batch of an epoch is used too.</param>
    /// <param name="generator">Source of the shuffles (a fresh permutation per epoch).</param>
    /// <param name="test">Evaluated after each epoch (e.g. the mean test NLL), recorded in the history; null for none.</param>
    /// <param name="progress">Called every <paramref name="reportEvery"/> steps, after each epoch and at the end.</param>
    /// <param name="reportEvery">Steps between progress reports.</param>
    /// <param name="checkpoint">Where and how often to save the run, and whether to resume from a saved one (see
    /// <see cref="Checkpointing"/>); null for neither. A resumed run returns the whole history, from the first step.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no examples, or a batch's loss is not one element.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Epochs, batch size or report interval below 1.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is damaged or does not fit the optimiser
    /// or module; nothing was changed.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite; the message names the epoch and step.</exception>
    public static TrainingHistory Fit(Func<Tensor, Tensor> loss, Optimizer optimizer, Tensor data, int epochs, int batchSize,
        Generator generator, Func<double>? test = null, Action<TrainingProgress>? progress = null, int reportEvery = 20,
        Checkpointing? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reportEvery, 1);
        var batches = new MiniBatches(data, batchSize, "Trainer.Fit");
        checkpoint?.Validate();

        var (count, stepsPerEpoch) = (batches.Count, batches.StepsPerEpoch);
        var stepLosses = new List<float>(epochs * stepsPerEpoch);
        var epochLosses = new List<double>(epochs);
        var testLosses = new List<double>();
        double? latestTest = null;

        // Where the loop starts: the beginning, or just after the checkpoint's step with its shuffle redrawn.
        var firstEpoch = 1;
        var firstStep = 1;
        int[]? order = null;
        var epochStartGenerator = generator.State;
        if (checkpoint is { Resume: true, Exists: true })
        {
            var resumed = TrainingCheckpoint.Load(checkpoint, optimizer, epochs, batchSize, count);
            stepLosses.AddRange(resumed.StepLosses);
            epochLosses.AddRange(resumed.EpochLosses);
            testLosses.AddRange(resumed.TestLosses);
            latestTest = testLosses.Count > 0 ? testLosses[^1] : null;
            epochStartGenerator = resumed.EpochStartGenerator;
            (firstEpoch, firstStep) = resumed.EpochEnded ? (resumed.Epoch + 1, 1) : (resumed.Epoch, resumed.Step + 1);
            if (!resumed.EpochEnded)
            {
                generator.State = epochStartGenerator;
                order = generator.Permutation(count);
            }
            generator.State = resumed.Generator;
        }
        if (firstEpoch > epochs && progress is not null)
        {
            progress(new TrainingProgress(epochs, epochs, stepsPerEpoch, stepsPerEpoch, epochLosses[^1], latestTest, null));
        }
        var clock = Stopwatch.StartNew();
        var stepsBefore = stepLosses.Count;

        for (var epoch = firstEpoch; epoch <= epochs; epoch++)
        {
            if (order is null)
            {
                epochStartGenerator = generator.State;
                order = generator.Permutation(count);
            }
            // The sums over the steps of this epoch already done (none, unless resumed mid-epoch), added in order.
            double epochSum = 0, recentSum = 0;
            var recentSteps = 0;
            var epochStartIndex = (epoch - 1) * stepsPerEpoch;
            var recentStartIndex = stepLosses.Count - (stepLosses.Count - epochStartIndex) % reportEvery;
            for (var i = epochStartIndex; i < stepLosses.Count; i++)
            {
                epochSum += stepLosses[i];
                if (i >= recentStartIndex) (recentSum, recentSteps) = (recentSum + stepLosses[i], recentSteps + 1);
            }
            for (var step = firstStep; step <= stepsPerEpoch; step++)
            {
                optimizer.ZeroGrad();
                var value = loss(batches.Take(order, step));
                if (value.Count != 1)
                {
                    throw new ArgumentException(
                        $"Trainer.Fit: the loss of a batch must be one element, but it has shape {Tensor.FormatShape(value.Shape)}.", nameof(loss));
                }
                value.Backward();
                optimizer.Step();

                var lossValue = value.Item();
                if (!float.IsFinite(lossValue))
                {
                    throw new InvalidOperationException(
                        $"Trainer.Fit: the loss became {lossValue} at epoch {epoch}, step {step}; lower the learning rate or check the data.");
                }
                stepLosses.Add(lossValue);
                epochSum += lossValue;
                recentSum += lossValue;
                recentSteps++;
                if (progress is not null && step % reportEvery == 0 && step < stepsPerEpoch)
                {
                    progress(new TrainingProgress(epoch, epochs, step, stepsPerEpoch, recentSum / recentSteps, latestTest,
                        (stepLosses.Count - stepsBefore) / clock.Elapsed.TotalSeconds));
                    (recentSum, recentSteps) = (0, 0);
                }
                if (checkpoint is { EverySteps: { } every } && stepLosses.Count % every == 0 && step < stepsPerEpoch)
                {
                    Save(epoch, step);
                }
            }
            epochLosses.Add(epochSum / stepsPerEpoch);
            if (test is not null)
            {
                using (Tensor.NoGrad())
                {
                    latestTest = test();
                }
                testLosses.Add(latestTest.Value);
            }
            if (progress is not null)
            {
                var finished = epoch == epochs;
                // The last report carries the epoch's mean loss and no timing: it is what a notebook keeps.
                progress(new TrainingProgress(epoch, epochs, stepsPerEpoch, stepsPerEpoch,
                    finished ? epochLosses[^1] : recentSteps > 0 ? recentSum / recentSteps : epochLosses[^1], latestTest,
                    finished ? null : (stepLosses.Count - stepsBefore) / clock.Elapsed.TotalSeconds));
            }
            if (checkpoint is not null && (checkpoint.EverySteps is not { } interval || stepLosses.Count % interval == 0 || epoch == epochs))
            {
                Save(epoch, stepsPerEpoch);
            }
            (order, firstStep) = (null, 1);
        }
        return new TrainingHistory(stepLosses, epochLosses, testLosses, stepsPerEpoch);

        void Save(int epoch, int step) => TrainingCheckpoint.Save(checkpoint, optimizer, new TrainingSnapshot(epoch, step, epochs,
            stepsPerEpoch, batchSize, count, generator.State, epochStartGenerator, stepLosses, epochLosses, testLosses));
    }

    /// <summary>Trains a model with an exact likelihood by maximum likelihood: <see cref="Fit(Func{Tensor, Tensor}, Optimizer,
    /// Tensor, int, int, Generator, Func{double}?, Action{TrainingProgress}?, int, Checkpointing?)"/> with <c>model.Loss</c>.</summary>
    public static TrainingHistory Fit(DensityModel model, Optimizer optimizer, Tensor data, int epochs, int batchSize,
        Generator generator, Func<double>? test = null, Action<TrainingProgress>? progress = null, int reportEvery = 20,
        Checkpointing? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Fit(model.Loss, optimizer, data, epochs, batchSize, generator, test, progress, reportEvery, WithModule(checkpoint, model));
    }

    /// <summary>Trains a latent variable model by maximising its ELBO (minimising <c>model.Loss(x, generator)</c>); the
    /// one <paramref name="generator"/> draws both the shuffles and the samples from q(z | x), so one seed fixes the run.</summary>
    public static TrainingHistory Fit(LatentVariableModel model, Optimizer optimizer, Tensor data, int epochs, int batchSize,
        Generator generator, Func<double>? test = null, Action<TrainingProgress>? progress = null, int reportEvery = 20,
        Checkpointing? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(generator);
        return Fit(x => model.Loss(x, generator), optimizer, data, epochs, batchSize, generator, test, progress, reportEvery,
            WithModule(checkpoint, model));
    }

    private static Checkpointing? WithModule(Checkpointing? checkpoint, Module model) =>
        checkpoint is { Module: null } ? checkpoint with { Module = model } : checkpoint;

    /// <summary>A progress callback for terminals: redraws one line on standard error (a new line per report when
    /// standard error is redirected to a file, so logs stay readable).</summary>
    public static void ConsoleProgress(TrainingProgress report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report.WriteToConsole();
    }
}
