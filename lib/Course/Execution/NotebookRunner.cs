using System.Diagnostics;
using Course.Notebooks;

namespace Course.Execution;

/// <summary>
/// Runs a whole notebook top to bottom in a fresh <see cref="NotebookSession"/>, like Jupyter's
/// "run all": code cells get fresh outputs and execution counts 1, 2, ...; the run stops at the
/// first failing cell and the cells after it are left without outputs and count, so the written
/// notebook shows plainly what did not run. Markdown and raw cells are untouched. A cell's stored
/// outputs are its final ones: <c>display(x).Update(y)</c> from a later cell changes them in place.
/// </summary>
public static class NotebookRunner
{
    /// <summary>Reads and runs the notebook at <paramref name="path"/>.</summary>
    /// <param name="path">The .ipynb to run.</param>
    /// <param name="onCell">Called after each code cell (for progress lines), with the cell count of the notebook.</param>
    public static Task<ExecutedNotebook> RunAsync(string path, Action<CellRun, int>? onCell = null) =>
        RunAsync(NotebookReader.Read(path), path, onCell);

    /// <summary>Runs <paramref name="document"/> as if it were stored at <paramref name="path"/> (relative #r paths resolve from its folder).</summary>
    public static async Task<ExecutedNotebook> RunAsync(NotebookDocument document, string path, Action<CellRun, int>? onCell = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var session = new NotebookSession(path);
        var cells = new List<NotebookCell>(document.Cells.Count);
        var runs = new List<CellRun>();
        var executionCount = 0;
        var failed = false;
        for (var index = 0; index < document.Cells.Count; index++)
        {
            var cell = document.Cells[index];
            if (!cell.IsCode)
            {
                cells.Add(cell);
                continue;
            }
            CellRun run;
            if (failed)
            {
                cells.Add(cell with { Outputs = [], ExecutionCount = null });
                run = new CellRun(index, index + 1, CellStatus.NotExecuted, TimeSpan.Zero);
            }
            else
            {
                executionCount++;
                var execution = await session.ExecuteAsync(cell.Source, index + 1, executionCount);
                cells.Add(cell with { Outputs = execution.Outputs, ExecutionCount = executionCount });
                failed = !execution.Succeeded;
                run = new CellRun(index, index + 1, execution.Succeeded ? CellStatus.Succeeded : CellStatus.Failed, execution.Elapsed);
            }
            runs.Add(run);
            onCell?.Invoke(run, document.Cells.Count);
        }
        // A later cell may have updated an earlier cell's display: store each cell's final outputs,
        // as Jupyter's saved notebook shows the last value where the display was created.
        foreach (var run in runs.Where(run => run.Status != CellStatus.NotExecuted))
            cells[run.CellIndex] = cells[run.CellIndex] with { Outputs = session.OutputsOf(run.CellNumber) };
        var executed = PolyglotMetadata.Apply(document with { Cells = cells });
        return new ExecutedNotebook(Path.GetFullPath(path), executed, runs, stopwatch.Elapsed);
    }
}
