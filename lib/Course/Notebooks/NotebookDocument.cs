using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// A notebook (.ipynb, nbformat 4): its cells and metadata. Metadata and top-level keys this
/// model does not interpret are kept verbatim so that writing a notebook back does not lose what
/// VS Code or Jupyter stored in it. Read with <see cref="NotebookReader"/>, write with
/// <see cref="NotebookWriter"/>.
/// </summary>
public sealed record NotebookDocument
{
    /// <summary>The nbformat major version (4).</summary>
    public int NbFormat { get; init; } = 4;

    /// <summary>The nbformat minor version; 5 once cells have ids.</summary>
    public int NbFormatMinor { get; init; } = 5;

    /// <summary>The notebook metadata (kernelspec, language_info, polyglot_notebook, ...).</summary>
    public JsonObject Metadata { get; init; } = [];

    /// <summary>The cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; init; } = [];

    /// <summary>Top-level keys this model does not interpret, kept verbatim.</summary>
    public JsonObject ExtraProperties { get; init; } = [];

    /// <summary>The code cells, in order.</summary>
    public IEnumerable<NotebookCell> CodeCells => Cells.Where(cell => cell.IsCode);

    /// <summary>
    /// The text of the first markdown heading (<c># Title</c>), or null when the notebook has none;
    /// a readable title for listings.
    /// </summary>
    public string? Title =>
        Cells.Where(cell => cell.IsMarkdown)
             .SelectMany(cell => cell.Source.Split('\n'))
             .Select(line => line.Trim())
             .Where(line => line.StartsWith('#'))
             .Select(line => line.TrimStart('#').Trim())
             .FirstOrDefault(line => line.Length > 0);
}
