namespace Course.Execution;

/// <summary>Where something is in a notebook: file name, 1-based cell number and 1-based line within the cell.</summary>
/// <param name="NotebookName">The notebook's file name (never a full path: outputs must not carry machine paths).</param>
/// <param name="CellNumber">1-based position of the cell among all cells of the notebook.</param>
/// <param name="Line">1-based line within the cell; null when not known.</param>
public sealed record CellLocation(string NotebookName, int CellNumber, int? Line = null)
{
    public override string ToString() =>
        Line is { } line ? $"{NotebookName}, cell {CellNumber}, line {line}" : $"{NotebookName}, cell {CellNumber}";
}
