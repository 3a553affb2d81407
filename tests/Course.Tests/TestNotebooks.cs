using System.Text.Json.Nodes;
using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>Builds small notebooks in code and runs them.</summary>
internal static class TestNotebooks
{
    /// <summary>A Polyglot notebook with a title cell followed by one code cell per source.</summary>
    public static NotebookDocument FromCode(params string[] sources)
    {
        var cells = new List<NotebookCell> { new() { Id = "title", CellType = "markdown", Source = "# Test notebook" } };
        cells.AddRange(sources.Select((source, index) => new NotebookCell { Id = $"code-{index}", CellType = "code", Source = source }));
        return PolyglotMetadata.NewDocument(cells);
    }

    /// <summary><paramref name="document"/> with <paramref name="tags"/> on the code cell that has <paramref name="codeIndex"/> among the code cells.</summary>
    public static NotebookDocument WithTags(NotebookDocument document, int codeIndex, params string[] tags)
    {
        var cells = document.Cells.ToList();
        var index = cells.FindIndex(cell => cell.Id == $"code-{codeIndex}");
        cells[index] = cells[index] with { Metadata = new JsonObject { ["tags"] = new JsonArray([.. tags.Select(tag => (JsonNode)tag)]) } };
        return document with { Cells = cells };
    }

    /// <summary>Runs the code cells as a notebook stored at <paramref name="folder"/>/<paramref name="name"/>.</summary>
    public static Task<ExecutedNotebook> RunAsync(string folder, string name, params string[] sources) =>
        NotebookRunner.RunAsync(FromCode(sources), Path.Combine(folder, name));

    /// <summary>The outputs of the code cell that has <paramref name="codeIndex"/> among the code cells.</summary>
    public static IReadOnlyList<NotebookOutput> OutputsOf(ExecutedNotebook notebook, int codeIndex) =>
        notebook.Document.CodeCells.ElementAt(codeIndex).Outputs;

    /// <summary>The error outputs of the notebook with their tracebacks, for assertion messages.</summary>
    public static string Errors(ExecutedNotebook notebook) =>
        string.Join("\n", notebook.Document.CodeCells.SelectMany(cell => cell.Outputs).OfType<ErrorOutput>()
            .SelectMany(error => error.Traceback.Prepend($"{error.EName}: {error.EValue}")));
}
