using Course.Export;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// How <c>course export</c> turns cells into one C# file, on small notebooks: each rewrite's exact text where the text is
/// the contract. Every export here also compiles: <see cref="NotebookExporter.Export"/> compiles the file as a file-based
/// program against the library before it returns it (ExportedAppTests runs such files with <c>dotnet run</c>).
/// </summary>
public sealed class ExportRewriteTests
{
    [Fact]
    public async Task Export_LibraryReference_BecomesProjectDirectiveRelativeToTheFile()
    {
        var exported = await ExportedNotebooks.ExportAsync("var x = 1;");

        var project = Path.GetRelativePath(Path.GetDirectoryName(exported.OutputPath)!, Path.Combine(TestFolders.RepositoryRoot, "lib", "Generative", "Generative.csproj"));
        Assert.Contains($"\n#:project {project.Replace('\\', '/')}\n", exported.Text);
        Assert.DoesNotContain(exported.Text.Split('\n'), line => line.StartsWith("#r", StringComparison.Ordinal));
        Assert.Equal("// (Nothing else: the cell's #r and usings are at the top of the file.)", exported.CellCode(2));
    }

    [Fact]
    public async Task Export_UsingsInCells_HoistedToTheTopAfterTheNotebookDefaultsOnce()
    {
        var exported = await ExportedNotebooks.ExportAsync(
            "using System.IO;\nConsole.WriteLine(Path.GetFileName(\"a/b.txt\"));",
            "using System.Text.RegularExpressions;\nusing System.IO;\nConsole.WriteLine(Regex.IsMatch(\"ab\", \"b\"));");

        var usings = exported.Text.Split('\n').Where(line => line.StartsWith("using ", StringComparison.Ordinal));
        Assert.Equal(
            [
                "using System;", "using System.Collections;", "using System.Collections.Generic;", "using System.Linq;", "using System.Text;",
                "using System.Threading.Tasks;", "using System.IO;", "using System.Text.RegularExpressions;",
            ],
            usings);
        Assert.Equal("Console.WriteLine(Regex.IsMatch(\"ab\", \"b\"));", exported.CellCode(4));
    }

    [Fact]
    public async Task Export_TypeDeclaredInACell_MovedAfterAllTopLevelStatementsWithItsComment()
    {
        var exported = await ExportedNotebooks.ExportAsync(
            "// A point in the plane.\nrecord Point(int X, int Y);\nvar p = new Point(1, 2);",
            "Console.WriteLine(p);");

        Assert.Equal(
            "// record Point: declared at the end of the file, since C# wants type declarations after the top-level statements.\nvar p = new Point(1, 2);",
            exported.CellCode(3));
        Assert.EndsWith("// --- from cell 3 ---\n// A point in the plane.\nrecord Point(int X, int Y);\n", exported.Text);
        Assert.True(exported.Text.IndexOf("Console.WriteLine(p);", StringComparison.Ordinal) < exported.Text.IndexOf("\nrecord Point", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_TrailingExpressions_ValueGoesToDisplayVoidAndDisplayHandleStayStatements()
    {
        var exported = await ExportedNotebooks.ExportAsync(
            "// the result\nMath.Max(\n    1, 2)",
            "Console.WriteLine(\"printed\")",
            "display(\"shown once\")");

        Assert.Equal("// the result\ndisplay(Math.Max(\n    1, 2));", exported.CellCode(3));
        Assert.Equal("Console.WriteLine(\"printed\");", exported.CellCode(4));
        Assert.Equal("display(\"shown once\");", exported.CellCode(5));
        Assert.Contains("\nusing static Generative.Notebook.NotebookConsole;\n", exported.Text);
    }

    [Fact]
    public async Task Export_NameDeclaredAgainInALaterCell_LaterDeclarationAndItsUsesRenamed()
    {
        var exported = await ExportedNotebooks.ExportAsync(
            "var x = 1;",
            "var y = x + 1;",
            "var x = \"two\";",
            "Console.WriteLine(x + y);");

        Assert.Equal("var x = 1;", exported.CellCode(3));
        Assert.Equal("var y = x + 1;", exported.CellCode(4));
        Assert.Equal("var x_2 = \"two\";", exported.CellCode(5));
        Assert.Equal("Console.WriteLine(x_2 + y);", exported.CellCode(6));
        Assert.Contains("//   x -> x_2 (cell 5)\n", exported.Text);
    }

    [Fact]
    public async Task Export_LoopVariableWithATopLevelName_LoopVariableRenamedTopLevelUseKept()
    {
        var exported = await ExportedNotebooks.ExportAsync(
            "var i = 10;",
            "for (var i = 0; i < 2; i++) Console.WriteLine(i);\nConsole.WriteLine(i);");

        Assert.Equal("for (var i_2 = 0; i_2 < 2; i_2++) Console.WriteLine(i_2);\nConsole.WriteLine(i);", exported.CellCode(4));
    }

    [Fact]
    public async Task Export_OverloadedFunctions_SecondOverloadAndItsCallsRenamed()
    {
        var exported = await ExportedNotebooks.ExportAsync(
            "string Describe(int n) => $\"int {n}\";\nstring Describe(string s) => $\"string {s}\";",
            "Console.WriteLine(Describe(1) + Describe(\"a\"));\nConsole.WriteLine(string.Join(\",\", new[] { \"b\" }.Select(Describe)));");

        Assert.Equal("string Describe(int n) => $\"int {n}\";\nstring Describe_2(string s) => $\"string {s}\";", exported.CellCode(3));
        Assert.Equal("Console.WriteLine(Describe(1) + Describe_2(\"a\"));\nConsole.WriteLine(string.Join(\",\", new[] { \"b\" }.Select(Describe_2)));",
            exported.CellCode(4));
    }

    [Fact]
    public async Task Export_ScriptVariableWithoutValue_StartsAsItsDefaultAndConstantStaysConstant()
    {
        var exported = await ExportedNotebooks.ExportAsync("int count;\nconst int Limit = 3;\nstatic double rate = 0.5;", "count += Limit;");

        Assert.Equal("int count = default;\nconst int Limit = 3;\ndouble rate = 0.5;", exported.CellCode(3));
    }

    [Fact]
    public async Task Export_MarkdownCell_CommentLinesKeepHeadingsListsAndLatexAndWrapProse()
    {
        var paragraph = string.Join(" ", Enumerable.Repeat("word", 30)) + " $p(x \\mid y)$.";
        var document = TestNotebooks.FromCode(ExportedNotebooks.LibraryReference);
        document = document with
        {
            Cells = [.. document.Cells, new NotebookCell { Id = "text", CellType = "markdown", Source = $"## Bayes' rule\n\n$$p(y \\mid x) = \\frac{{p(x \\mid y)\\,p(y)}}{{p(x)}}$$\n\n- {paragraph}" }],
        };

        var exported = await ExportedNotebooks.ExportAsync(document);

        var wrapped = string.Join(" ", Enumerable.Repeat("word", 23));
        var rest = string.Join(" ", Enumerable.Repeat("word", 7)) + " $p(x \\mid y)$.";
        Assert.EndsWith($"// ## Bayes' rule\n//\n// $$p(y \\mid x) = \\frac{{p(x \\mid y)\\,p(y)}}{{p(x)}}$$\n//\n// - {wrapped}\n//   {rest}\n", exported.Text);
        Assert.StartsWith("// Test notebook\n", exported.Text);
    }

    [Fact]
    public async Task Export_RaisesExceptionCell_RunsInTryCatchThatPrintsTheErrorAsTheNotebookNamesIt()
    {
        var document = TestNotebooks.WithTags(TestNotebooks.FromCode(ExportedNotebooks.LibraryReference, "var exception = 1;", "throw new InvalidOperationException(\"the lesson's point\");"),
            2, "raises-exception");

        var exported = await ExportedNotebooks.ExportAsync(document);

        Assert.EndsWith("""
            try
            {
            throw new InvalidOperationException("the lesson's point");
            }
            catch (Exception exception_2)
            {
                Console.WriteLine($"{exception_2.GetType().FullName}: {exception_2.Message}");
            }

            """, exported.CellCode(4) + "\n");
    }

    [Fact]
    public async Task Export_LaterCellUsesWhatARaisesExceptionCellDeclares_ErrorSaysToDeclareItEarlier()
    {
        var document = TestNotebooks.WithTags(TestNotebooks.FromCode(ExportedNotebooks.LibraryReference,
            "var partial = 1;\nthrow new InvalidOperationException(\"stop\");", "Console.WriteLine(partial);"), 1, "raises-exception");

        var error = await Assert.ThrowsAsync<NotebookExportException>(() => ExportedNotebooks.ExportAsync(document));

        Assert.Equal("Cannot export 'lesson.ipynb': cell 4: it uses partial, which cell 3 declares; that cell is tagged raises-exception, so in the file " +
            "it runs inside try/catch, where what it declares is not visible to later cells. Declare partial in a cell before it.", error.Message);
    }

    [Fact]
    public async Task Export_CellEndingWithADisplaysHandle_BecomesADiscard()
    {
        var exported = await ExportedNotebooks.ExportAsync("var view = display(1);", "view");

        Assert.Equal("_ = view;", exported.CellCode(4));
    }

    [Fact]
    public async Task Export_RaisesExceptionCellThatDoesNotCompile_KeptAsCommentSayingWhy()
    {
        var document = TestNotebooks.WithTags(TestNotebooks.FromCode(ExportedNotebooks.LibraryReference, "int y = \"text\";", "Console.WriteLine(1);"), 1, "raises-exception");

        var exported = await ExportedNotebooks.ExportAsync(document);

        var cell = exported.CellCode(3);
        Assert.Contains("CS0029: Cannot implicitly convert type 'string' to 'int'", cell);
        Assert.EndsWith("is a comment:\n//     int y = \"text\";", cell);
        Assert.Equal("Console.WriteLine(1);", exported.CellCode(4));
    }

    // ------------------------------------------------------------------ notebooks that cannot be exported

    [Fact]
    public async Task Export_CellThatDoesNotCompile_ErrorNamesNotebookCellAndCompilerError()
    {
        var error = await Assert.ThrowsAsync<NotebookExportException>(() => ExportedNotebooks.ExportAsync("var x = 1;", "x.Frobnicate();"));

        Assert.StartsWith("Cannot export 'lesson.ipynb': cell 4: does not compile: (line 1, column 3) CS1061: 'int' does not contain a definition for 'Frobnicate'", error.Message);
    }

    [Fact]
    public async Task Export_FSharpCell_RefusedNamingNotebookCellAndLanguage()
    {
        var document = TestNotebooks.FromCode(ExportedNotebooks.LibraryReference, "let x = 1");
        var cells = document.Cells.ToList();
        cells[2] = cells[2] with { Metadata = new System.Text.Json.Nodes.JsonObject { ["polyglot_notebook"] = new System.Text.Json.Nodes.JsonObject { ["kernelName"] = "fsharp" } } };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ExportedNotebooks.ExportAsync(document with { Cells = cells }));

        Assert.Equal("Notebook 'lesson.ipynb': cell 3 is in 'fsharp' (polyglot_notebook.kernelName), but the course runner executes only C# ('csharp') cells.", error.Message);
    }

    [Fact]
    public async Task Export_ReferenceToADllNoProjectBuilds_ErrorNamesTheReference()
    {
        var folder = TestFolders.NewScratch("export-dll");
        var dll = TestAssemblies.Compile(folder, "Loose", "namespace Loose; public static class Marker { public const int Value = 1; }");

        var error = await Assert.ThrowsAsync<NotebookExportException>(() => ExportedNotebooks.ExportAsync($"#r \"{dll}\"\nConsole.WriteLine(Loose.Marker.Value);"));

        Assert.Equal($"Cannot export 'lesson.ipynb': cell 3: line 1: #r \"{dll}\" is not the output of a project (no .csproj beside a bin/ folder above it); " +
            "a file-based app references projects (#:project) and packages (#:package), not DLLs.", error.Message);
    }

    [Fact]
    public async Task Export_PropertyAtTheTopLevel_ErrorNamesIt()
    {
        var error = await Assert.ThrowsAsync<NotebookExportException>(() => ExportedNotebooks.ExportAsync("int Answer => 42;"));

        Assert.StartsWith("Cannot export 'lesson.ipynb': cell 3: property Answer is declared at the top level of the cell", error.Message);
    }

    [Fact]
    public async Task Export_DisplayWithoutTheLibrary_ErrorSaysToReferenceIt()
    {
        await LessonLibrary.EnsureBuiltAsync();
        var error = await Assert.ThrowsAsync<NotebookExportException>(() => ExportedNotebooks.ExportAsync(TestNotebooks.FromCode("1 + 1")));

        Assert.StartsWith("Cannot export 'lesson.ipynb': cell 2: it displays a value, which the exported app prints with Generative.Notebook.NotebookConsole, " +
            "but the notebook references no library that has it", error.Message);
    }

    [Fact]
    public async Task Export_FileThatWouldNotCompile_ErrorNamesTheCellAndTheLine()
    {
        // A script's static field is visible to the cell's classes; in the file it is a local of the top-level statements.
        var error = await Assert.ThrowsAsync<NotebookExportException>(() => ExportedNotebooks.ExportAsync(
            "static int counter = 3;\nclass Counter { public int Next() => ++counter; }"));

        Assert.StartsWith("Cannot export 'lesson.ipynb': the file-based app would not compile", error.Message);
        Assert.Contains("\n  cell 3: CS8801: Cannot use local variable or local function 'counter' declared in a top-level statement in this context. " +
            "(in `class Counter { public int Next() => ++counter; }`)", error.Message);
    }
}
