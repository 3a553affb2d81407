using System.Diagnostics;
using Generative.Models;
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
    /// <exception cref="ArgumentException"><paramref name="data"/> has no examples, or a batch's loss is not one element.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Epochs, batch size or report interval below 1.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite; the message names the epoch and step.</exception>
    public static TrainingHistory Fit(Func<Tensor, Tensor> loss, Optimizer optimizer, Tensor data, int epochs, int batchSize,
        Generator generator, Func<double>? test = null, Action<TrainingProgress>? progress = null, int reportEvery = 20)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reportEvery, 1);
        if (data.Rank == 0 || data.Size(0) == 0)
        {
            throw new ArgumentException($"Trainer.Fit: data of shape {Tensor.FormatShape(data.Shape)} has no examples; expected (N, ...) with N >= 1.", nameof(data));
        }

        var count = data.Size(0);
        var stepsPerEpoch = (count + batchSize - 1) / batchSize;
        var rowLength = data.Count / count;
        var rows = data.ToArray();
        var exampleShape = data.Shape[1..];
        var stepLosses = new List<float>(epochs * stepsPerEpoch);
        var epochLosses = new List<double>(epochs);
        var testLosses = new List<double>();
        var clock = Stopwatch.StartNew();
        double? latestTest = null;

        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var order = generator.Permutation(count);
            double epochSum = 0, recentSum = 0;
            var recentSteps = 0;
            for (var step = 1; step <= stepsPerEpoch; step++)
            {
                var start = (step - 1) * batchSize;
                var size = Math.Min(batchSize, count - start);
                var batch = new float[size * rowLength];
                for (var i = 0; i < size; i++)
                {
                    Array.Copy(rows, order[start + i] * rowLength, batch, i * rowLength, rowLength);
                }

                optimizer.ZeroGrad();
                var value = loss(Tensor.FromArray(batch, [size, .. exampleShape]));
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
                        stepLosses.Count / clock.Elapsed.TotalSeconds));
                    (recentSum, recentSteps) = (0, 0);
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
                    finished ? null : stepLosses.Count / clock.Elapsed.TotalSeconds));
            }
        }
        return new TrainingHistory(stepLosses, epochLosses, testLosses, stepsPerEpoch);
    }

    /// <summary>Trains a model with an exact likelihood by maximum likelihood: <see cref="Fit(Func{Tensor, Tensor}, Optimizer,
    /// Tensor, int, int, Generator, Func{double}?, Action{TrainingProgress}?, int)"/> with <c>model.Loss</c>.</summary>
    public static TrainingHistory Fit(DensityModel model, Optimizer optimizer, Tensor data, int epochs, int batchSize,
        Generator generator, Func<double>? test = null, Action<TrainingProgress>? progress = null, int reportEvery = 20)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Fit(model.Loss, optimizer, data, epochs, batchSize, generator, test, progress, reportEvery);
    }

    /// <summary>Trains a latent variable model by maximising its ELBO (minimising <c>model.Loss(x, generator)</c>); the
    /// one <paramref name="generator"/> draws both the shuffles and the samples from q(z | x), so one seed fixes the run.</summary>
    public static TrainingHistory Fit(LatentVariableModel model, Optimizer optimizer, Tensor data, int epochs, int batchSize,
        Generator generator, Func<double>? test = null, Action<TrainingProgress>? progress = null, int reportEvery = 20)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(generator);
        return Fit(x => model.Loss(x, generator), optimizer, data, epochs, batchSize, generator, test, progress, reportEvery);
    }

    /// <summary>A progress callback for terminals: redraws one line on standard error (a new line per report when
    /// standard error is redirected to a file, so logs stay readable).</summary>
    public static void ConsoleProgress(TrainingProgress report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine(report.ToPlainText());
            return;
        }
        Console.Error.Write("\r" + report.ToPlainText().PadRight(100));
        if (report.IsFinished)
        {
            Console.Error.WriteLine();
        }
    }
}
