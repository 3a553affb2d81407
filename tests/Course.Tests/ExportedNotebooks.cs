using Course.Export;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>Small notebooks exported as file-based apps by <see cref="NotebookExporter"/>, from scratch folders.</summary>
internal static class ExportedNotebooks
{
    /// <summary>The first cell of a test notebook: the course library, referenced as the lessons reference it, by its built DLL.</summary>
    public static string LibraryReference => $"#r \"{LessonLibrary.DllPath}\"";

    /// <summary>Exports a notebook whose code cells are the library reference and then <paramref name="sources"/>.</summary>
    public static Task<ExportedNotebook> ExportAsync(params string[] sources) => ExportAsync(TestNotebooks.FromCode([LibraryReference, .. sources]));

    /// <summary>Exports <paramref name="document"/>, stored in a new scratch folder, to export/lesson.cs beside it.</summary>
    public static async Task<ExportedNotebook> ExportAsync(NotebookDocument document)
    {
        // The export compiles the cells against the library the notebook references, as the runner does.
        await LessonLibrary.EnsureBuiltAsync();
        var folder = TestFolders.NewScratch("export");
        var notebookPath = Path.Combine(folder, "lesson.ipynb");
        NotebookWriter.Write(document, notebookPath);
        var outputPath = Path.Combine(folder, "export", "lesson.cs");
        return new ExportedNotebook(document, notebookPath, outputPath, NotebookExporter.Export(document, notebookPath, outputPath));
    }
}

/// <summary>An exported notebook and the file's text.</summary>
internal sealed record ExportedNotebook(NotebookDocument Document, string NotebookPath, string OutputPath, string Text)
{
    /// <summary>The code under the comment that names cell <paramref name="cellNumber"/>, up to the next cell or the types.</summary>
    public string CellCode(int cellNumber)
    {
        var heading = $"// --- cell {cellNumber} ---\n";
        var start = Text.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{heading.Trim()}' in:\n{Text}");
        start += heading.Length;
        var end = new[] { "\n// --- cell ", "\n// ---- " }.Select(next => Text.IndexOf(next, start, StringComparison.Ordinal)).Where(index => index >= 0).DefaultIfEmpty(Text.Length).Min();
        return Text[start..end].Trim('\n');
    }

    /// <summary>Writes the file where the export meant it to go.</summary>
    public string Write()
    {
        Course.IO.AtomicTextFile.Write(OutputPath, Text);
        return OutputPath;
    }
}
