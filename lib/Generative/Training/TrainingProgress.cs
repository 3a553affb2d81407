using Generative.Notebook;

namespace Generative.Training;

/// <summary>
/// Where a training run is: shown as a progress bar with the epoch, the step and the recent loss. Pass
/// <c>progress: p =&gt; view.Update(p)</c> to <see cref="Trainer"/>.Fit after <c>var view = display(TrainingProgress.Start)</c>
/// and the bar moves in place in the notebook.
/// </summary>
/// <remarks>Timing (steps per second) shows only while the run is going: the final value, which a notebook stores,
/// holds no clock readings, so re-running a lesson reproduces its outputs exactly.</remarks>
/// <param name="Epoch">The current epoch, 1-based (0 before the first step).</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Step">Steps done in the current epoch.</param>
/// <param name="StepsPerEpoch">Steps in one epoch.</param>
/// <param name="RecentLoss">The mean training loss of the steps since the last report (NaN before the first).</param>
/// <param name="TestLoss">The latest test loss, after an epoch with evaluation; null before that or without one.</param>
/// <param name="StepsPerSecond">Training speed since the start; null in the final report.</param>
[TypeFormatterSource(typeof(DisplayFormatterSource<TrainingProgress>), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double RecentLoss, double? TestLoss,
    double? StepsPerSecond) : RunProgress(Epoch, Epochs, Step, StepsPerEpoch)
{
    /// <summary>The report before any step.</summary>
    public static TrainingProgress Start { get; } = new(0, 0, 0, 0, double.NaN, null, null);

    /// <inheritdoc/>
    protected override string Details
    {
        get
        {
            var text = "";
            if (!double.IsNaN(RecentLoss))
            {
                text += FormattableString.Invariant($", loss {RecentLoss:F2}");
            }
            if (TestLoss is { } test)
            {
                text += FormattableString.Invariant($", test {test:F2}");
            }
            if (StepsPerSecond is { } rate)
            {
                text += FormattableString.Invariant($", {rate:F1} steps/s");
            }
            return text;
        }
    }
}
