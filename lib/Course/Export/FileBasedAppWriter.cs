using Course.Execution;
using Course.Notebooks;

namespace Course.Export;

/// <summary>
/// Lays out the exported file: a header saying what it is and how it was made, the <c>#:</c> directives, every using
/// directive, a two-line preamble that gives the program the notebook's culture and folder, then the cells in order
/// (markdown as <c>//</c> comments, code under a comment naming its cell), and the cells' type declarations at the end.
/// </summary>
internal static class FileBasedAppWriter
{
    /// <summary>The library type whose <c>display</c> the file imports.</summary>
    public const string ConsoleDisplayType = "Generative.Notebook.NotebookConsole";

    /// <summary>
    /// Build settings that make the file compile and run as the notebook's cells do. No implicit usings: only the notebook's
    /// (<see cref="ScriptDefaults.Imports"/>, written out). Nullable annotations without nullable warnings, which scripts do
    /// not give either. The latest C# and optimised code, as the runner compiles cells. And no PublishAot, which file-based
    /// apps turn on by default and which switches off reflection-based JSON, which the library reads its weights catalogue with.
    /// </summary>
    private static readonly string[] Properties = ["ImplicitUsings=disable", "Nullable=annotations", "LangVersion=latest", "Optimize=true", "PublishAot=false"];

    /// <summary>The file for <paramref name="document"/>.</summary>
    /// <param name="document">The notebook.</param>
    /// <param name="notebookPath">The notebook's full path.</param>
    /// <param name="outputPath">The full path the file will have.</param>
    /// <param name="cells">Its code cells, compiled.</param>
    /// <param name="translations">The cells' translations by cell number (cells kept as comments have none).</param>
    /// <param name="plan">The renames, listed in the header.</param>
    /// <param name="references">The <c>#:project</c> and <c>#:package</c> lines.</param>
    /// <param name="importsDisplay">True when the cells display values, so the file imports <see cref="ConsoleDisplayType"/>.</param>
    /// <param name="exceptionName">The name the catch blocks of raises-exception cells give the exception.</param>
    public static AppText Write(NotebookDocument document, string notebookPath, string outputPath, IReadOnlyList<CompiledCell> cells,
        IReadOnlyDictionary<int, CellTranslation> translations, RenamePlan plan, IReadOnlyList<string> references, bool importsDisplay,
        string exceptionName)
    {
        var outputFolder = Path.GetDirectoryName(outputPath)!;
        var notebookFolder = Path.GetRelativePath(outputFolder, Path.GetDirectoryName(notebookPath)!).Replace('\\', '/');
        var text = new AppText();
        text.AppendLines(Header(document, notebookPath, outputPath, plan));
        text.AppendSeparator();
        foreach (var reference in references) text.AppendLines(reference);
        text.AppendLines(CommentText.Of("Build settings that compile the cells as the notebook does: only the notebook's usings, nullable annotations " +
            "without nullable warnings, the latest C#, optimised code, and no PublishAot (on by default in file-based apps, it would switch off " +
            "the reflection-based JSON the library reads its weights catalogue with)."));
        foreach (var property in Properties) text.AppendLines($"#:property {property}");
        text.AppendSeparator();

        var usings = ScriptDefaults.Imports.Select(import => $"using {import};")
            .Concat(translations.Values.SelectMany(translation => translation.Usings))
            .Concat(importsDisplay ? [$"using static {ConsoleDisplayType};"] : [])
            .Distinct();
        foreach (var directive in usings) text.AppendLines(directive);
        text.AppendSeparator();
        text.AppendLines($"""
            // As in the notebook: numbers print the same on every machine, and relative paths (the course's data) start in the
            // notebook's folder, {notebookFolder} from this file.
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
            Environment.CurrentDirectory = System.IO.Path.GetFullPath(System.IO.Path.Combine(
                AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Environment.CurrentDirectory, "{notebookFolder}"));
            """);

        var compiledByNumber = cells.ToDictionary(cell => cell.CellNumber);
        for (var index = 0; index < document.Cells.Count; index++)
        {
            var cell = document.Cells[index];
            text.AppendSeparator();
            if (!cell.IsCode)
            {
                text.AppendLines(CommentText.Of(cell.Source), index + 1);
                continue;
            }
            var compiled = compiledByNumber[index + 1];
            text.AppendLines($"// --- cell {compiled.CellNumber} ---");
            switch (compiled.Treatment)
            {
                case CellTreatment.CommentedOut:
                    text.AppendLines(CommentText.Of($"Tagged raises-exception, and it does not compile, which is the lesson's point ({compiled.CommentReason}) " +
                        "A C# file cannot hold code that does not compile, so here the cell is a comment:"), compiled.CellNumber);
                    text.AppendLines(CommentText.Of(compiled.Cell.Source, prefix: "//     ", wrap: false), compiled.CellNumber);
                    break;
                case CellTreatment.WrappedInTryCatch:
                    text.AppendLines("""
                        // Tagged raises-exception: its error is part of the lesson. It runs inside try/catch, which prints the error
                        // (its type and message, as the notebook's error output names them) and lets the program go on.
                        try
                        {
                        """);
                    text.AppendLines(translations[compiled.CellNumber].Statements, compiled.CellNumber);
                    text.AppendLines($$"""
                        }
                        catch (Exception {{exceptionName}})
                        {
                            Console.WriteLine($"{{{exceptionName}}.GetType().FullName}: {{{exceptionName}}.Message}");
                        }
                        """);
                    break;
                default:
                    var statements = translations[compiled.CellNumber].Statements;
                    text.AppendLines(statements.Length > 0 ? statements : "// (Nothing else: the cell's #r and usings are at the top of the file.)", compiled.CellNumber);
                    break;
            }
        }

        var types = cells.Where(cell => translations.ContainsKey(cell.CellNumber) && translations[cell.CellNumber].Types.Count > 0).ToList();
        if (types.Count > 0)
        {
            text.AppendSeparator();
            text.AppendLines("// ---- The types the cells declare: C# wants type declarations after the top-level statements.");
            foreach (var cell in types)
            {
                text.AppendSeparator();
                text.AppendLines($"// --- from cell {cell.CellNumber} ---");
                foreach (var type in translations[cell.CellNumber].Types) text.AppendLines(type, cell.CellNumber);
            }
        }
        return text;
    }

    private static string Header(NotebookDocument document, string notebookPath, string outputPath, RenamePlan plan)
    {
        var outputFolder = Path.GetDirectoryName(outputPath)!;
        var notebook = Path.GetRelativePath(outputFolder, notebookPath).Replace('\\', '/');
        var lines = new List<string>
        {
            document.Title ?? Path.GetFileNameWithoutExtension(notebookPath),
            "",
            $"The notebook {notebook} as a .NET file-based app, written by `course export`. Run it with " +
            $"`dotnet run {Path.GetFileName(outputPath)}` in this folder: the .NET SDK builds the library it references, then runs the cells in order.",
            "",
            "How the notebook became this file:",
            "- #r of the library's DLL became #:project; the notebook's default usings and the cells' usings are at the top.",
            "- display(x) prints x's text/plain form, as the notebook stores it (Generative.Notebook.NotebookConsole); a cell's " +
            "last expression, which the notebook shows as the cell's result, is passed to display.",
            "- Types declared in cells are at the end of the file, after the top-level statements, where C# wants them.",
            "- The markdown cells are comments.",
        };
        if (plan.Renames.Count > 0)
        {
            lines.Add("- A later cell may declare a name again, and a block in a cell may reuse a top-level name; one C# block allows " +
                "neither, so these declarations and their uses are renamed:");
            lines.AddRange(plan.Renames.Select(rename => $"  {rename.OldName} -> {rename.NewName} (cell {rename.CellNumber})"));
        }
        return CommentText.Of(string.Join("\n", lines));
    }
}
