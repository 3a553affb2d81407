namespace Course.Export;

/// <summary>A notebook that cannot become a file-based app; the message names the notebook, the cell when there is one,
/// and the problem. The command line reports it as it reports an unreadable notebook (exit code 1).</summary>
public sealed class NotebookExportException(string notebookName, int? cellNumber, string problem)
    : InvalidOperationException(cellNumber is { } number
        ? $"Cannot export '{notebookName}': cell {number}: {problem}"
        : $"Cannot export '{notebookName}': {problem}");
