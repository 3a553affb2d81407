namespace Generative.Notebook;

/// <summary>
/// The notebook's <c>display(value)</c> for C# programs outside a notebook, above all the lessons that <c>course export</c>
/// writes as .NET file-based apps (<c>using static Generative.Notebook.NotebookConsole;</c>). A value is printed on
/// standard output in its text/plain form, made by the same formatter convention and plain-text rules with which the
/// course runner stores a notebook's outputs, so an exported lesson prints the text its notebook shows.
/// </summary>
/// <remarks>
/// <para><c>display(x).Update(y)</c> (a training progress bar, say) rewrites the display's line in place with a carriage
/// return, as a terminal progress bar does, while that line is still the last thing printed and both values are one line;
/// otherwise the new value is printed below, like a new display. In a file the output keeps every update, and a terminal
/// (or <c>cat</c>) shows the last one on each line: the value the notebook stores.</para>
/// <para>Figures and image grids print their text/plain summary only; their SVG and PNG forms are in the stored notebook
/// and on the course site, so running a lesson writes no files beside it.</para>
/// </remarks>
public static class NotebookConsole
{
    private static readonly Lazy<DisplayLines> Lines = new(DisplayLines.ForConsole);

    /// <summary>
    /// Prints <paramref name="value"/>'s text/plain form on standard output, as the Polyglot C# kernel's <c>display</c>
    /// shows it in a notebook (the lowercase name is that kernel's, so a lesson's code runs unchanged).
    /// </summary>
    /// <returns>A handle whose <see cref="ConsoleDisplay.Update"/> shows a new value in place of this one.</returns>
    public static ConsoleDisplay display(object? value) => Lines.Value.Show(FormatterConvention.FormatPlainText(value));
}

/// <summary>What <see cref="NotebookConsole.display"/> returns: a handle on the printed value, like the notebook's
/// <c>DisplayedValue</c>.</summary>
public sealed class ConsoleDisplay
{
    private readonly DisplayLines _lines;

    internal ConsoleDisplay(DisplayLines lines) => _lines = lines;

    /// <summary>Shows <paramref name="value"/> in place of what this display showed (see <see cref="NotebookConsole"/>).</summary>
    public void Update(object? value) => _lines.Replace(this, FormatterConvention.FormatPlainText(value));
}
