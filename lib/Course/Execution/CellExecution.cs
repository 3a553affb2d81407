using Course.Notebooks;

namespace Course.Execution;

/// <summary>The result of running one cell.</summary>
/// <param name="Outputs">What the cell produced, in order; ends with an <see cref="ErrorOutput"/> when it failed.</param>
/// <param name="Succeeded">False when the cell stopped with a compile, runtime or magic-command error.</param>
/// <param name="Elapsed">Wall time, compilation included.</param>
public sealed record CellExecution(IReadOnlyList<NotebookOutput> Outputs, bool Succeeded, TimeSpan Elapsed)
{
    /// <summary>Why the cell was abandoned while still running (<see cref="CellStatus.TimedOut"/> or
    /// <see cref="CellStatus.Interrupted"/>), or null when it finished.</summary>
    public CellStatus? Abandoned { get; init; }
}
