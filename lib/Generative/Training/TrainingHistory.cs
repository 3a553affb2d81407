using Generative.Plotting;

namespace Generative.Training;

/// <summary>What a <see cref="Trainer"/>.Fit run recorded: the loss of every step, the mean loss of each epoch and, when
/// the run evaluated one, the test loss after each epoch.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<float> stepLosses, IReadOnlyList<double> epochLosses, IReadOnlyList<double> testLosses, int stepsPerEpoch)
    {
        StepLosses = stepLosses;
        EpochLosses = epochLosses;
        TestLosses = testLosses;
        StepsPerEpoch = stepsPerEpoch;
    }

    /// <summary>The training loss of each step, in order.</summary>
    public IReadOnlyList<float> StepLosses { get; }

    /// <summary>The mean training loss of each epoch's steps.</summary>
    public IReadOnlyList<double> EpochLosses { get; }

    /// <summary>The test loss after each epoch; empty when the run had no test function.</summary>
    public IReadOnlyList<double> TestLosses { get; }

    /// <summary>Steps in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The step losses against the epoch (fractional), with the epoch means and test losses at each epoch's
    /// end, so training and test curves share one axis.</summary>
    public Figure Plot(string title = "Training loss", string lossName = "loss (nats)")
    {
        var epochOfStep = Enumerable.Range(1, StepLosses.Count).Select(s => s / (double)StepsPerEpoch);
        var epochEnds = Enumerable.Range(1, EpochLosses.Count).Select(e => (double)e).ToArray();
        var figure = Plotting.Plot.Line(epochOfStep, StepLosses.Select(l => (double)l), "training steps")
            .Add(Plotting.Plot.Line(epochEnds, EpochLosses, "training, epoch mean"));
        if (TestLosses.Count > 0)
        {
            figure = figure.Add(Plotting.Plot.Line(epochEnds.Take(TestLosses.Count), TestLosses, "test"));
        }
        return figure.WithTitle(title).WithAxisTitles("epoch", lossName);
    }
}
