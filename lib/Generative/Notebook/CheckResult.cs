namespace Generative.Notebook;

/// <summary>
/// The outcome of a <see cref="Check"/>: passed or not, what was checked, and a short explanation.
/// Shows itself as "✔ ..." or "✗ ..." in notebooks (HTML and plain text).
/// </summary>
[TypeFormatterSource(typeof(DisplayFormatterSource<CheckResult>), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]
public sealed class CheckResult : IDisplayable
{
    internal CheckResult(bool passed, string title, string message)
    {
        Passed = passed;
        Title = title;
        Message = message;
    }

    /// <summary>True when the answer or the agreement was within tolerance.</summary>
    public bool Passed { get; }

    /// <summary>The exercise or quantity checked, as the notebook named it.</summary>
    public string Title { get; }

    /// <summary>The explanation after the title: "correct", "not yet ... hint", or the values that agree.</summary>
    public string Message { get; }

    /// <summary>✔ or ✗.</summary>
    public string Symbol => Passed ? "✔" : "✗";

    /// <inheritdoc />
    public string ToPlainText() => $"{Symbol} {Title}: {Message}";

    /// <inheritdoc />
    public string ToHtml()
    {
        var (kind, color) = Passed ? ("pass", "#1a7f37") : ("fail", "#cf222e");
        return $"<div class=\"gen-check gen-check-{kind}\"><span style=\"color:{color}\">{Symbol}</span> " +
               $"<strong>{HtmlText.Escape(Title)}</strong>: {HtmlText.Escape(Message)}</div>";
    }

    /// <inheritdoc />
    public override string ToString() => ToPlainText();
}
