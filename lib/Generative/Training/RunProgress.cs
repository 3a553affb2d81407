using Generative.Notebook;

namespace Generative.Training;

/// <summary>
/// What every progress report of a training loop shows: a bar for the share of the run done, the epoch and the step,
/// then the details of its kind (<see cref="TrainingProgress"/>: the loss; <see cref="AdversarialProgress"/>: both
/// players' losses). Displayed in place in a notebook, or on a terminal through the loops' <c>ConsoleProgress</c>.
/// </summary>
/// <param name="Epoch">The current epoch, 1-based (0 before the first step).</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Step">Steps done in the current epoch.</param>
/// <param name="StepsPerEpoch">Steps in one epoch.</param>
public abstract record RunProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch) : IDisplayable
{
    /// <summary>Fraction of the run done, in [0, 1].</summary>
    public double Fraction => Epochs == 0 || StepsPerEpoch == 0
        ? 0
        : Math.Clamp(((Epoch - 1) * (double)StepsPerEpoch + Step) / ((double)Epochs * StepsPerEpoch), 0, 1);

    /// <summary>True for the report after the last step.</summary>
    public bool IsFinished => Epochs > 0 && Epoch == Epochs && Step == StepsPerEpoch;

    /// <inheritdoc/>
    public string ToHtml() => ProgressBar.Html(Fraction, Describe());

    /// <inheritdoc/>
    public string ToPlainText() => ProgressBar.Text(Fraction, Describe());

    /// <inheritdoc/>
    public sealed override string ToString() => ToPlainText();

    /// <summary>What follows the epoch and the step, e.g. ", loss 1.23"; empty for nothing.</summary>
    protected abstract string Details { get; }

    private string Describe() => Epochs == 0
        ? "starting"
        : FormattableString.Invariant($"epoch {Epoch}/{Epochs}, step {Step}/{StepsPerEpoch}") + Details;
}
