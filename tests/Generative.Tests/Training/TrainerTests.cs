using Generative.NN;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Tests.Training;

/// <summary>The shared training loop: the same steps as the loop written by hand, reproducible, every example once per
/// epoch, progress reports, and clear errors.</summary>
public class TrainerTests
{
    private static Tensor Data(int count, ulong seed = 1) => Tensor.Randn([count, 3], new Generator(seed));

    /// <summary>A tiny regression model and its loss: predict the sum of the three inputs.</summary>
    private static (Linear Model, Func<Tensor, Tensor> Loss) Regression(ulong seed)
    {
        var model = new Linear(3, 1, generator: new Generator(seed));
        return (model, x => Losses.MseLoss(model.Forward(x), x.Sum(1, keepDim: true)));
    }

    [Fact]
    public void Fit_SameSeeds_SameLossesAndWeightsAsTheHandWrittenLoop()
    {
        var data = Data(50);
        var (model, loss) = Regression(2);
        var history = Trainer.Fit(loss, new Sgd(model.Parameters(), learningRate: 0.05), data, epochs: 3, batchSize: 16, new Generator(9));

        // The reference: lesson 03's loop, with the same shuffles.
        var (reference, referenceLoss) = Regression(2);
        var optimizer = new Sgd(reference.Parameters(), learningRate: 0.05);
        var shuffles = new Generator(9);
        var rows = data.ToArray();
        var expected = new List<float>();
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var order = shuffles.Permutation(50);
            for (var start = 0; start < 50; start += 16)
            {
                var size = Math.Min(16, 50 - start);
                var batch = Enumerable.Range(start, size).SelectMany(i => rows.Skip(order[i] * 3).Take(3)).ToArray();
                optimizer.ZeroGrad();
                var value = referenceLoss(Tensor.FromArray(batch, size, 3));
                value.Backward();
                optimizer.Step();
                expected.Add(value.Item());
            }
        }

        Assert.Equal(expected, history.StepLosses);
        Assert.Equal(reference.Weight.ToArray(), model.Weight.ToArray());
        Assert.Equal(4, history.StepsPerEpoch);
        Assert.Equal(Enumerable.Range(0, 3).Select(e => expected.Skip(4 * e).Take(4).Average(v => (double)v)), history.EpochLosses);
    }

    [Fact]
    public void Fit_DensityModel_SameRunAsItsLossFunction()
    {
        // The model overload is the loss overload with model.Loss: same seeds, same bits.
        var data = Tensor.Bernoulli(Tensor.Full([40, 6], 0.4f), new Generator(2));
        var viaModel = new Generative.Models.Fvsbn(6, new Generator(1));
        var viaLoss = new Generative.Models.Fvsbn(6, new Generator(1));
        var a = Trainer.Fit(viaModel, new Adam(viaModel.Parameters(), 1e-2), data, epochs: 2, batchSize: 16, new Generator(3));
        var b = Trainer.Fit(viaLoss.Loss, new Adam(viaLoss.Parameters(), 1e-2), data, epochs: 2, batchSize: 16, new Generator(3));
        Assert.Equal(b.StepLosses, a.StepLosses);
        Assert.Equal(viaLoss.Conditionals.Weight.ToArray(), viaModel.Conditionals.Weight.ToArray());
    }

    [Fact]
    public void Fit_LatentVariableModel_OneGeneratorDrawsShufflesAndNoise()
    {
        var data = Tensor.Bernoulli(Tensor.Full([24, 8], 0.5f), new Generator(4));
        var viaModel = new Generative.Models.Vae(8, 6, 2, new Generator(5));
        var viaLoss = new Generative.Models.Vae(8, 6, 2, new Generator(5));
        var a = Trainer.Fit(viaModel, new Adam(viaModel.Parameters(), 1e-2), data, epochs: 2, batchSize: 8, new Generator(6));
        var generator = new Generator(6);
        var b = Trainer.Fit(x => viaLoss.Loss(x, generator), new Adam(viaLoss.Parameters(), 1e-2), data, epochs: 2, batchSize: 8, generator);
        Assert.Equal(b.StepLosses, a.StepLosses);
        Assert.Equal(viaLoss.Parameters().SelectMany(p => p.ToArray()), viaModel.Parameters().SelectMany(p => p.ToArray()));
    }

    [Fact]
    public void Fit_PartialLastBatch_EveryExampleOncePerEpoch()
    {
        var seen = new List<int>();
        var data = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var weight = Tensor.FromArray([1f]);
        weight.RequiresGrad = true;

        Trainer.Fit(x => { seen.AddRange(x.ToArray().Select(v => (int)v)); return (x * weight).Sum(); },
            new Sgd([weight], learningRate: 0), data, epochs: 2, batchSize: 4, new Generator(3));

        Assert.Equal(20, seen.Count);
        Assert.Equal(Enumerable.Range(0, 10), seen.Take(10).Order());
        Assert.Equal(Enumerable.Range(0, 10), seen.Skip(10).Order());
        Assert.NotEqual(seen.Take(10), seen.Skip(10)); // a fresh shuffle per epoch
    }

    [Fact]
    public void Fit_Progress_ReportsEveryIntervalAndEndsWithAFinishedReportWithoutTiming()
    {
        var (model, loss) = Regression(4);
        var reports = new List<TrainingProgress>();

        Trainer.Fit(loss, new Adam(model.Parameters()), Data(100), epochs: 2, batchSize: 10, new Generator(5),
            test: () => 1.5, progress: reports.Add, reportEvery: 3);

        // Per epoch of 10 steps: after steps 3, 6 and 9, then the epoch's end.
        Assert.Equal(8, reports.Count);
        Assert.Equal([3, 6, 9, 10, 3, 6, 9, 10], reports.Select(r => r.Step));
        Assert.All(reports.Take(7), r => Assert.NotNull(r.StepsPerSecond));
        var last = reports[^1];
        Assert.True(last.IsFinished);
        Assert.Null(last.StepsPerSecond);
        Assert.Equal(1.0, last.Fraction);
        Assert.Equal(1.5, last.TestLoss);
        Assert.Null(reports[0].TestLoss);
        Assert.DoesNotContain("steps/s", last.ToPlainText());
        Assert.StartsWith("[####################] epoch 2/2, step 10/10, loss ", last.ToPlainText());
    }

    [Fact]
    public void Fit_TestFunction_RunsWithoutRecordingGradientsOncePerEpoch()
    {
        var (model, loss) = Regression(6);
        var gradEnabled = new List<bool>();

        var history = Trainer.Fit(loss, new Sgd(model.Parameters(), learningRate: 0.01), Data(20), epochs: 3, batchSize: 8, new Generator(1),
            test: () => { gradEnabled.Add(Tensor.IsGradEnabled); return gradEnabled.Count; });

        Assert.Equal([1.0, 2.0, 3.0], history.TestLosses);
        Assert.Equal([false, false, false], gradEnabled);
        Assert.Equal(3, history.Plot().Traces.Count);
    }

    [Fact]
    public void Fit_LossBecomesNaN_ThrowsNamingEpochAndStep()
    {
        var weight = Tensor.FromArray([1f]);
        weight.RequiresGrad = true;
        var steps = 0;

        var ex = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(
            x => ++steps == 3 ? (x * weight).Sum() * float.NaN : (x * weight).Sum(),
            new Sgd([weight], learningRate: 0), Data(8), epochs: 1, batchSize: 2, new Generator(1)));

        Assert.Contains("epoch 1, step 3", ex.Message);
        Assert.Contains("NaN", ex.Message);
    }

    [Fact]
    public void Fit_BadArguments_ThrowNamingTheProblem()
    {
        var (model, loss) = Regression(7);
        var optimizer = new Sgd(model.Parameters(), learningRate: 0.1);

        var empty = Assert.Throws<ArgumentException>(() => Trainer.Fit(loss, optimizer, Tensor.Zeros(0, 3), 1, 4, new Generator(1)));
        Assert.Contains("(0, 3)", empty.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(loss, optimizer, Data(4), 0, 4, new Generator(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(loss, optimizer, Data(4), 1, 0, new Generator(1)));
        var notScalar = Assert.Throws<ArgumentException>(() => Trainer.Fit(x => model.Forward(x), optimizer, Data(4), 1, 4, new Generator(1)));
        Assert.Contains("one element", notScalar.Message);
    }

    [Fact]
    public void TrainingProgress_Rendering_ShowsABarAndTheNumbers()
    {
        var report = new TrainingProgress(1, 4, 6, 10, 2.5, 3.25, 12.0);

        Assert.Equal(0.15, report.Fraction, 1e-12);
        Assert.Contains("<progress max=\"100\" value=\"15\"", report.ToHtml());
        Assert.Contains("epoch 1/4, step 6/10, loss 2.50, test 3.25, 12.0 steps/s", report.ToHtml());
        Assert.Equal("[###-----------------] epoch 1/4, step 6/10, loss 2.50, test 3.25, 12.0 steps/s", report.ToPlainText());
        Assert.Equal("[--------------------] starting", TrainingProgress.Start.ToPlainText());
    }
}
