using System.Globalization;
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
    public string ToHtml()
    {
        var percent = (Fraction * 100).ToString("F0", CultureInfo.InvariantCulture);
        return $"<div class=\"gen-training\"><progress max=\"100\" value=\"{percent}\" style=\"width:20em\"></progress> " +
            $"<span>{HtmlText.Escape(Describe())}</span></div>";
    }

    /// <inheritdoc/>
    public string ToPlainText()
    {
        const int width = 20;
        var filled = (int)Math.Round(Fraction * width);
        return $"[{new string('#', filled)}{new string('-', width - filled)}] {Describe()}";
    }

    /// <inheritdoc/>
    public sealed override string ToString() => ToPlainText();

    /// <summary>Draws the report on standard error: in place on a terminal, a line per report when standard error is
    /// redirected to a file, so logs stay readable (the loops' <c>ConsoleProgress</c>).</summary>
    internal void WriteToConsole()
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine(ToPlainText());
            return;
        }
        Console.Error.Write("\r" + ToPlainText().PadRight(100));
        if (IsFinished)
        {
            Console.Error.WriteLine();
        }
    }

    /// <summary>What follows the epoch and the step, e.g. ", loss 1.23"; empty for nothing.</summary>
    protected abstract string Details { get; }

    private string Describe() => Epochs == 0
        ? "starting"
        : FormattableString.Invariant($"epoch {Epoch}/{Epochs}, step {Step}/{StepsPerEpoch}") + Details;
}
