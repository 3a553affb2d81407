using Course.Notebooks;

namespace Course.Execution;

/// <summary>
/// One notebook's running kernel, as <see cref="NotebookRunner"/> drives it: cells run one after another and share state;
/// a cell's outputs are final only when the notebook has run, since a later cell may update an earlier cell's display.
/// Implemented by the course's own <see cref="NotebookSession"/> and by <see cref="Interactive.InteractiveKernelSession"/>.
/// </summary>
public interface ICellSession : IDisposable
{
    /// <summary>Runs one cell, for at most <see cref="RunOptions.CellTimeout"/> and until <see cref="RunOptions.Interrupt"/>.
    /// Never throws for problems in the cell: they become its error output.</summary>
    /// <param name="source">The cell's source.</param>
    /// <param name="cellNumber">1-based number of the cell among all cells, for locations in errors.</param>
    /// <param name="executionCount">The count to put on an execute_result.</param>
    /// <param name="options">Time limit and interruption.</param>
    Task<CellExecution> ExecuteAsync(string source, int cellNumber, int executionCount, RunOptions options);

    /// <summary>The outputs of the latest run of cell <paramref name="cellNumber"/> as they are now; empty for a cell that has not run.</summary>
    IReadOnlyList<NotebookOutput> OutputsOf(int cellNumber);
}
