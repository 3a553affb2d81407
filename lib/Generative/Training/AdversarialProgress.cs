using Generative.Notebook;

namespace Generative.Training;

/// <summary>
/// Where a two-player run (<see cref="AdversarialTrainer"/>) is: a progress bar with the epoch, the step and both
/// players' recent losses. Shown like <see cref="TrainingProgress"/>: <c>var view = display(AdversarialProgress.Start)</c>
/// and <c>progress: view.Update</c>.
/// </summary>
/// <param name="Epoch">The current epoch, 1-based (0 before the first step).</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Step">Discriminator steps (batches) done in the current epoch.</param>
/// <param name="StepsPerEpoch">Batches in one epoch.</param>
/// <param name="DiscriminatorLoss">The discriminator's mean loss since the last report (NaN before its first step).</param>
/// <param name="GeneratorLoss">The generator's mean loss since the last report (NaN when it took no step since).</param>
/// <param name="StepsPerSecond">Batches per second since the start; null in the final report, which a notebook stores.</param>
[TypeFormatterSource(typeof(DisplayFormatterSource<AdversarialProgress>), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed record AdversarialProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double DiscriminatorLoss,
    double GeneratorLoss, double? StepsPerSecond) : RunProgress(Epoch, Epochs, Step, StepsPerEpoch)
{
    /// <summary>The report before any step.</summary>
    public static AdversarialProgress Start { get; } = new(0, 0, 0, 0, double.NaN, double.NaN, null);

    /// <inheritdoc/>
    protected override string Details
    {
        get
        {
            var text = "";
            if (!double.IsNaN(DiscriminatorLoss))
            {
                text += FormattableString.Invariant($", D loss {DiscriminatorLoss:F3}");
            }
            if (!double.IsNaN(GeneratorLoss))
            {
                text += FormattableString.Invariant($", G loss {GeneratorLoss:F3}");
            }
            if (StepsPerSecond is { } rate)
            {
                text += FormattableString.Invariant($", {rate:F1} steps/s");
            }
            return text;
        }
    }
}
