using Course.Execution;
using Course.Notebooks;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Export;

/// <summary>
/// Compiles a notebook's code cells as the runner does (<see cref="ScriptChain"/>), without running them, so the export
/// knows what each name in each cell refers to, which cells end with a value, and which cells cannot compile.
/// </summary>
internal static class CellCompiler
{
    /// <summary>The compiler's error for a #r whose DLL does not exist.</summary>
    private const string MissingLibrary = "CS0006";

    /// <summary>What builds the DLL the lessons reference (the command line builds it too, before it runs).</summary>
    private const string LibraryBuildCommand = "dotnet build -c Release lib/Generative/Generative.csproj";

    /// <summary>The compiled code cells of <paramref name="document"/>, stored at <paramref name="notebookPath"/>, in order.</summary>
    /// <exception cref="NotebookExportException">A cell does not compile or uses what a file cannot hold (except cells tagged
    /// raises-exception, which are kept as comments).</exception>
    public static IReadOnlyList<CompiledCell> Compile(NotebookDocument document, string notebookPath)
    {
        var notebookName = Path.GetFileName(notebookPath);
        var chain = new ScriptChain(Path.GetFullPath(notebookPath));
        var cells = new List<CompiledCell>();
        for (var index = 0; index < document.Cells.Count; index++)
        {
            var cell = document.Cells[index];
            if (!cell.IsCode) continue;
            var location = new CellLocation(notebookName, index + 1);
            var raisesException = NotebookRunner.HasTag(cell, RunOptions.RaisesExceptionTag);
            string problem;
            try
            {
                var (script, directives) = chain.Next(cell.Source, location);
                var compilation = script.GetCompilation();
                if (((CompilationUnitSyntax)compilation.SyntaxTrees.Single().GetRoot()).GetLoadDirectives().Count > 0)
                    throw new NotebookExportException(notebookName, location.CellNumber,
                        "#load brings in another script file, which a file-based app cannot do; paste that file's code into the cell.");
                var errors = ScriptChain.Errors(script);
                if (errors.Count == 0)
                {
                    chain.Accept(script);
                    cells.Add(new CompiledCell
                    {
                        Cell = cell,
                        CellNumber = location.CellNumber,
                        Treatment = raisesException ? CellTreatment.WrappedInTryCatch : CellTreatment.Statements,
                        Compilation = compilation,
                        References = directives.References,
                        Packages = directives.Packages,
                        ShowsTrailingValue = ShowsTrailingValue(script),
                    });
                    continue;
                }
                problem = "does not compile" +
                    (errors.Any(error => error.Id == MissingLibrary) ? $" (a #r names a DLL that is not built: build it first, e.g. {LibraryBuildCommand})" : "") +
                    ": " + CellErrors.FromDiagnostics(errors, location, directives.Code).EValue;
            }
            catch (CellSourceException exception)
            {
                problem = exception.Location.Line is { } line ? $"line {line}: {exception.Problem}" : exception.Problem;
            }
            if (!raisesException) throw new NotebookExportException(notebookName, location.CellNumber, problem);
            // The runner stores such a cell's error and goes on; a C# file cannot hold code that does not compile.
            cells.Add(new CompiledCell { Cell = cell, CellNumber = location.CellNumber, Treatment = CellTreatment.CommentedOut, CommentReason = problem });
        }
        return cells;
    }

    /// <summary>
    /// True when the notebook shows the cell's trailing expression as its result: the expression has a value, and that value
    /// is not the handle of a display the expression made (<c>display(x)</c> as a cell's last line shows x only once).
    /// </summary>
    private static bool ShowsTrailingValue(Script script) =>
        ScriptChain.HasTrailingValue(script) &&
        ScriptChain.TrailingExpression(script)!.Value.Type!.ToDisplayString() != typeof(DisplayedValue).FullName;
}
