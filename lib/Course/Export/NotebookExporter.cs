using Course.Execution;
using Course.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Export;

/// <summary>
/// Turns a notebook into a .NET 10 file-based app (one .cs file that <c>dotnet run</c> builds and runs) that prints what
/// the notebook's cells print. The cells are compiled as the runner compiles them (<see cref="CellCompiler"/>) and then
/// rewritten with Roslyn, never by text search: names a single C# block cannot hold twice are renamed
/// (<see cref="RenamePlan"/>, <see cref="CellRewriter"/>), each cell becomes top-level statements and type declarations
/// (<see cref="CellTranslation"/>), and the file is laid out (<see cref="FileBasedAppWriter"/>) and compiled
/// (<see cref="ExportValidation"/>) before anyone writes it.
/// </summary>
public static class NotebookExporter
{
    /// <summary>The exported file's text for <paramref name="document"/>.</summary>
    /// <param name="document">The notebook.</param>
    /// <param name="notebookPath">Where the notebook is: #r paths are relative to its folder.</param>
    /// <param name="outputPath">Where the file will be: #:project paths are relative to its folder.</param>
    /// <exception cref="InvalidDataException">The notebook is not in C#.</exception>
    /// <exception cref="NotebookExportException">A cell cannot become part of a file-based app; the message says which and why.</exception>
    public static string Export(NotebookDocument document, string notebookPath, string outputPath)
    {
        notebookPath = Path.GetFullPath(notebookPath);
        outputPath = Path.GetFullPath(outputPath);
        var notebookName = Path.GetFileName(notebookPath);
        NotebookRunner.CheckLanguages(document, notebookName);
        var cells = CellCompiler.Compile(document, notebookPath);
        var compiled = cells.Where(cell => cell.Treatment != CellTreatment.CommentedOut).ToList();
        TryCatchScope.Check(compiled, notebookName);
        var plan = RenamePlan.For(cells);
        var translations = compiled.ToDictionary(cell => cell.CellNumber, cell => CellTranslation.Of(cell, CellRewriter.Rewrite(cell, plan), notebookName));
        var references = AppReferences.Directives(compiled, notebookPath, Path.GetDirectoryName(outputPath)!);
        var importsDisplay = ImportsDisplay(compiled, notebookName);
        var text = FileBasedAppWriter.Write(document, notebookPath, outputPath, cells, translations, plan, references, importsDisplay,
            exceptionName: plan.Reserve("exception"));
        ExportValidation.Check(text, References(compiled), notebookName);
        return text.ToString();
    }

    /// <summary>
    /// True when the cells display values (a <c>display</c> call, or a last expression the notebook shows), which the file
    /// does through the course library's <see cref="FileBasedAppWriter.ConsoleDisplayType"/>.
    /// </summary>
    /// <exception cref="NotebookExportException">They do, but the notebook does not reference the library that has it.</exception>
    private static bool ImportsDisplay(IReadOnlyList<CompiledCell> cells, string notebookName)
    {
        var displaying = cells.FirstOrDefault(cell => cell.ShowsTrailingValue || cell.Root.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Any(name => name.Identifier.ValueText == "display" && cell.Model.GetSymbolInfo(name).Symbol?.ContainingType?.ToDisplayString() == typeof(NotebookGlobals).FullName));
        if (displaying is null) return false;
        if (displaying.Compilation!.GetTypeByMetadataName(FileBasedAppWriter.ConsoleDisplayType) is null && cells[^1].Compilation!.GetTypeByMetadataName(FileBasedAppWriter.ConsoleDisplayType) is null)
            throw new NotebookExportException(notebookName, displaying.CellNumber,
                $"it displays a value, which the exported app prints with {FileBasedAppWriter.ConsoleDisplayType}, but the notebook references no library " +
                "that has it: load the course library first, e.g. #r \"../lib/Generative/bin/Release/net10.0/Generative.dll\" (built by " +
                "`dotnet build -c Release lib/Generative/Generative.csproj`).");
        return true;
    }

    /// <summary>What the file compiles against: what the cells compiled against (the framework, the libraries of #r lines
    /// and packages), without the runner itself, which only the notebook's script host brings.</summary>
    private static IEnumerable<MetadataReference> References(IReadOnlyList<CompiledCell> cells) =>
        ScriptDefaults.FrameworkReferences
            .Concat(cells.SelectMany(cell => cell.Compilation!.References.Concat(cell.Compilation.DirectiveReferences)))
            .OfType<PortableExecutableReference>()
            .DistinctBy(reference => reference.FilePath)
            .Where(reference => reference.FilePath != typeof(NotebookGlobals).Assembly.Location);
}
