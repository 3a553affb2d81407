using System.Text;
using Course.Checking;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// Compares what an exported lesson printed with what its notebook stores, by the rules of <c>course check</c>
/// (<see cref="TolerantText"/>: line endings normalised, numbers equal within 1e-6 relative).
/// </summary>
internal static class ConsoleTranscript
{
    /// <summary>
    /// What the file-based app prints for the stored outputs, in order: stdout streams as they are, the text/plain of each
    /// display and result on a line of its own, and an error of a raises-exception cell as "name: message".
    /// </summary>
    public static string Expected(NotebookDocument notebook)
    {
        var text = new StringBuilder();
        foreach (var output in notebook.CodeCells.SelectMany(cell => cell.Outputs))
        {
            switch (output)
            {
                case StreamOutput { Name: "stdout" } stream: text.Append(stream.Text); break;
                case DisplayDataOutput display: text.Append(display.Data["text/plain"]).Append('\n'); break;
                case ExecuteResultOutput result: text.Append(result.Data["text/plain"]).Append('\n'); break;
                case ErrorOutput error: text.Append($"{error.EName}: {error.EValue}\n"); break;
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// The output as a terminal shows it: each line is what follows its last carriage return, because a display's updates
    /// rewrite its line in place (see Generative.Notebook.NotebookConsole); the last is the value the notebook stores.
    /// </summary>
    public static string Rendered(string output) =>
        string.Join("\n", output.Replace("\r\n", "\n").Split('\n').Select(line => line[(line.LastIndexOf('\r') + 1)..]));

    /// <summary>Fails with a line diff when <paramref name="printed"/>, rendered, does not match <paramref name="notebook"/>'s outputs.</summary>
    public static void AssertMatches(NotebookDocument notebook, string printed)
    {
        var (expected, actual) = (Expected(notebook), Rendered(printed));
        Assert.True(TolerantText.Equal(expected, actual),
            $"The exported app's output differs from the notebook's stored outputs:\n--- stored\n+++ printed\n{LineDiff.Format(expected, actual)}");
    }
}
