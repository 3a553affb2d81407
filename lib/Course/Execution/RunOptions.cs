namespace Course.Execution;

/// <summary>How a notebook run treats slow and failing cells.</summary>
/// <param name="CellTimeout">The longest one code cell may run. A cell still running then gets an error output naming the
/// notebook, the cell and the limit, and the notebook stops (the cell's thread cannot be stopped inside the process, so
/// the command stops after that notebook).</param>
/// <param name="AllowErrors">Continue after any failing cell, as <c>jupyter nbconvert --allow-errors</c>; without it only
/// cells tagged <c>raises-exception</c> may fail.</param>
/// <param name="Interrupt">Cancelled by Ctrl-C (SIGINT) or SIGTERM: the running cell is abandoned and the notebook stops.</param>
public sealed record RunOptions(TimeSpan CellTimeout, bool AllowErrors = false, CancellationToken Interrupt = default)
{
    /// <summary>Ten minutes: generous for any lesson cell (the slowest trains for about a minute on 2 cores), short
    /// enough that a cell stuck in a loop cannot burn a CI job's 90 minutes.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The default limit, no errors allowed, no interruption.</summary>
    public static RunOptions Default { get; } = new(DefaultCellTimeout);

    /// <summary>The engine that executes the cells (<c>--kernel</c>); the course's own by default.</summary>
    public NotebookKernel Kernel { get; init; } = NotebookKernel.Course;

    /// <summary>The Jupyter/nbval tag that marks a cell whose error is part of the lesson.</summary>
    public const string RaisesExceptionTag = "raises-exception";
}
