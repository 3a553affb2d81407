using Course.Execution;
using Course.Notebooks;

namespace Course.Checking;

/// <summary>Re-executes a notebook and compares every code cell's fresh outputs with the stored ones (see <see cref="OutputComparer"/> for the rules).</summary>
public static class NotebookChecker
{
    /// <summary>Runs the notebook at <paramref name="path"/> and compares.</summary>
    public static async Task<CheckReport> CheckAsync(string path, Action<CellRun, int>? onCell = null, RunOptions? options = null)
    {
        var stored = NotebookReader.Read(path);
        var executed = await NotebookRunner.RunAsync(stored, path, onCell, options);
        return new CheckReport(executed, Compare(stored, executed.Document, Path.GetFileName(path)));
    }

    /// <summary>The mismatches between two versions of one notebook, cell by cell.</summary>
    public static IReadOnlyList<OutputMismatch> Compare(NotebookDocument stored, NotebookDocument fresh, string notebookName)
    {
        if (stored.Cells.Count != fresh.Cells.Count)
            throw new ArgumentException($"Notebook '{notebookName}': the stored and fresh versions have different cell counts ({stored.Cells.Count} vs {fresh.Cells.Count}).");
        var mismatches = new List<OutputMismatch>();
        for (var index = 0; index < stored.Cells.Count; index++)
            if (stored.Cells[index].IsCode)
                mismatches.AddRange(OutputComparer.Compare(new CellLocation(notebookName, index + 1), stored.Cells[index].Outputs, fresh.Cells[index].Outputs));
        return mismatches;
    }
}

/// <summary>The outcome of checking one notebook.</summary>
/// <param name="Executed">The fresh run.</param>
/// <param name="Mismatches">Differences from the stored outputs; empty when the notebook passes.</param>
public sealed record CheckReport(ExecutedNotebook Executed, IReadOnlyList<OutputMismatch> Mismatches)
{
    /// <summary>
    /// True when every cell's fresh outputs match the stored ones and the fresh run had no error except in cells tagged
    /// raises-exception (whose error name and message are compared like any output): a run stopped by an error leaves
    /// later cells unexecuted, so a stored copy with the same error would otherwise hide a lesson that no longer runs.
    /// </summary>
    public bool Passed => Mismatches.Count == 0 && Executed.Succeeded;
}
