using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// One cell of a notebook. Code cells carry <see cref="Outputs"/> and <see cref="ExecutionCount"/>;
/// markdown and raw cells have none. Keys this model does not know (e.g. markdown
/// <c>attachments</c>) are kept in <see cref="ExtraProperties"/> and written back unchanged.
/// </summary>
public sealed record NotebookCell
{
    /// <summary>The cell's nbformat 4.5 id (letters, digits, '-' and '_').</summary>
    public required string Id { get; init; }

    /// <summary>"code", "markdown" or "raw".</summary>
    public required string CellType { get; init; }

    /// <summary>The source text, lines joined with their line endings.</summary>
    public required string Source { get; init; }

    /// <summary>The cell's metadata as read (e.g. <c>dotnet_interactive.language</c>).</summary>
    public JsonObject Metadata { get; init; } = [];

    /// <summary>The outputs of a code cell, in the order they were produced.</summary>
    public IReadOnlyList<NotebookOutput> Outputs { get; init; } = [];

    /// <summary>The code cell's execution count; null when not executed.</summary>
    public int? ExecutionCount { get; init; }

    /// <summary>Top-level keys of the cell this model does not interpret, kept verbatim.</summary>
    public JsonObject ExtraProperties { get; init; } = [];

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>True for markdown cells.</summary>
    public bool IsMarkdown => CellType == "markdown";
}
