namespace Course.Notebooks;

/// <summary>
/// A notebook after the runner executed it: the document with fresh outputs, plus what happened
/// to each code cell. This is what <c>run</c> hands to the site builder.
/// </summary>
/// <param name="SourcePath">Full path of the .ipynb that was executed.</param>
/// <param name="Document">The notebook with the outputs of this run.</param>
/// <param name="CellRuns">One entry per code cell, in notebook order.</param>
/// <param name="Elapsed">Wall time of the whole notebook.</param>
public sealed record ExecutedNotebook(
    string SourcePath,
    NotebookDocument Document,
    IReadOnlyList<CellRun> CellRuns,
    TimeSpan Elapsed)
{
    /// <summary>The file name without extension, e.g. "01-generative-models"; stable page names.</summary>
    public string Name => Path.GetFileNameWithoutExtension(SourcePath);

    /// <summary>The number of cells that ended with an error output, allowed or not.</summary>
    public int ErrorCount => CellRuns.Count(run => run.Status is CellStatus.Failed or CellStatus.ErrorAllowed or CellStatus.TimedOut or CellStatus.Interrupted);

    /// <summary>True when every code cell ran, and each either succeeded or failed where the notebook allows it.</summary>
    public bool Succeeded => CellRuns.All(run => run.Status is CellStatus.Succeeded or CellStatus.ErrorAllowed);

    /// <summary>True when a cell exceeded the time limit or was interrupted: its thread may still be running.</summary>
    public bool Abandoned => CellRuns.Any(run => run.Status is CellStatus.TimedOut or CellStatus.Interrupted);

    /// <summary>The first cell whose outcome stops the notebook or fails it, if any.</summary>
    public CellRun? FirstProblem => CellRuns.FirstOrDefault(run => run.Status.StopsTheRun());
}

/// <summary>What happened to one code cell during a run.</summary>
/// <param name="CellIndex">0-based index of the cell among all cells of the notebook.</param>
/// <param name="CellNumber">1-based number of the cell among all cells (what messages call "cell N").</param>
/// <param name="Status">Whether it ran, failed or was skipped after an earlier failure.</param>
/// <param name="Elapsed">Wall time of the cell; zero when not executed.</param>
public sealed record CellRun(int CellIndex, int CellNumber, CellStatus Status, TimeSpan Elapsed);

/// <summary>The outcome of one code cell.</summary>
public enum CellStatus
{
    /// <summary>Ran to completion.</summary>
    Succeeded,
    /// <summary>Stopped with a compile or runtime error (an error output).</summary>
    Failed,
    /// <summary>Stopped with an error that the notebook allows (the cell is tagged raises-exception, or the run has
    /// --allow-errors); the run went on with the next cell.</summary>
    ErrorAllowed,
    /// <summary>Still running when the per-cell time limit ran out; the notebook stopped.</summary>
    TimedOut,
    /// <summary>Still running when the run was interrupted (Ctrl-C); the notebook stopped.</summary>
    Interrupted,
    /// <summary>Not executed because an earlier cell failed ("run all" stops at the first error).</summary>
    NotExecuted,
}

/// <summary>What a <see cref="CellStatus"/> means for the rest of a run.</summary>
public static class CellStatusExtensions
{
    /// <summary>True for the outcomes after which "run all" stops: an error the notebook does not allow, a cell over
    /// the time limit, and an interrupted cell.</summary>
    public static bool StopsTheRun(this CellStatus status) =>
        status is CellStatus.Failed or CellStatus.TimedOut or CellStatus.Interrupted;
}
