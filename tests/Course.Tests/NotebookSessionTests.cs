using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

public sealed class NotebookSessionTests : IDisposable
{
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private readonly string _folder = TestFolders.NewScratch("session");

    [Fact]
    public async Task RunAsync_DeclarationInEarlierCell_VisibleInLaterCells()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "state.ipynb",
            "var count = 20;\nint Twice(int value) => 2 * value;",
            "record Point(int X, int Y);",
            "Console.Write(Twice(count) + new Point(1, 2).Y);");

        Assert.True(notebook.Succeeded);
        Assert.Equal([new StreamOutput("stdout", "42")], TestNotebooks.OutputsOf(notebook, 2));
    }

    [Fact]
    public async Task RunAsync_MachineCultureUsesDecimalComma_CellsStillFormatWithInvariantCulture()
    {
        var original = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var notebook = await TestNotebooks.RunAsync(_folder, "culture.ipynb", "Console.Write($\"{382.24:F2} {1.5}\");");

            Assert.Equal([new StreamOutput("stdout", "382.24 1.5")], TestNotebooks.OutputsOf(notebook, 0));
            Assert.Equal("de-DE", System.Globalization.CultureInfo.CurrentCulture.Name); // restored after the cell
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public async Task RunAsync_TrailingExpression_BecomesExecuteResultWithExecutionCount()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "result.ipynb", "var x = 1;", "x + 1");

        var result = Assert.IsType<ExecuteResultOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 1)));
        Assert.Equal(2, result.ExecutionCount);
        Assert.Equal("2", result.Data["text/plain"]);
        Assert.Empty(TestNotebooks.OutputsOf(notebook, 0));
    }

    [Theory]
    [InlineData("string text = null;\ntext", "<null>")]
    [InlineData("new[] { 1, 2, 3 }", "[1, 2, 3]")]
    [InlineData("(1, \"a\", 0.1)", "(1, \"a\", 0.1)")]
    [InlineData("new List<double> { 0.1 + 0.2 }", "[0.30000000000000004]")]
    [InlineData("\"plain\"", "plain")]
    public async Task RunAsync_TrailingValueWithoutFormatter_PlainTextOnly(string code, string expectedText)
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "plain.ipynb", code);

        var result = Assert.IsType<ExecuteResultOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0)));
        Assert.Equal(["text/plain"], result.Data.Keys);
        Assert.Equal(expectedText, result.Data["text/plain"]);
    }

    [Theory]
    [InlineData("var x = 1;")]
    [InlineData("Console.Write(\"\")")]
    [InlineData("await Task.Delay(1)")]
    [InlineData("// only a comment")]
    public async Task RunAsync_NoValueAtEnd_NoExecuteResult(string code)
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "novalue.ipynb", code);

        Assert.True(notebook.Succeeded);
        Assert.DoesNotContain(TestNotebooks.OutputsOf(notebook, 0), output => output is ExecuteResultOutput);
    }

    [Fact]
    public async Task RunAsync_ConsoleAndDisplay_OutputsInOrderOfOccurrence()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "order.ipynb",
            "Console.WriteLine(\"a\");\nConsole.Write(\"b\");\ndisplay(7);\nConsole.Error.WriteLine(\"oops\");\nConsole.WriteLine(\"c\");");

        NotebookOutput[] expected =
        [
            new StreamOutput("stdout", "a\nb"),
            new DisplayDataOutput(new MimeBundle([new("text/plain", "7")]), []),
            new StreamOutput("stderr", "oops\n"),
            new StreamOutput("stdout", "c\n"),
        ];
        var outputs = TestNotebooks.OutputsOf(notebook, 0);
        Assert.Equal(expected.Length, outputs.Count);
        Assert.Equal(expected[0], outputs[0]);
        Assert.Equal("7", Assert.IsType<DisplayDataOutput>(outputs[1]).Data["text/plain"]);
        Assert.Equal(expected[2], outputs[2]);
        Assert.Equal(expected[3], outputs[3]);
    }

    [Fact]
    public async Task RunAsync_DisplayThenUpdateInSameCell_OneOutputWithLastValueInPlace()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "update.ipynb",
            "var view = display(\"starting\");\nConsole.WriteLine(\"training\");\nfor (var epoch = 1; epoch <= 3; epoch++) view.Update($\"epoch {epoch}\");");

        var outputs = TestNotebooks.OutputsOf(notebook, 0);
        Assert.Equal(2, outputs.Count);
        Assert.Equal(["epoch 3"], Assert.IsType<DisplayDataOutput>(outputs[0]).Data.Values);
        Assert.Equal(new StreamOutput("stdout", "training\n"), outputs[1]);
    }

    [Fact]
    public async Task RunAsync_UpdateFromLaterCell_ChangesEarlierCellAndAddsNothingToLaterCell()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "later.ipynb",
            "Console.WriteLine(\"before\");\nvar view = display(1);\nConsole.WriteLine(\"after\");",
            "view.Update(2);");

        var outputs = TestNotebooks.OutputsOf(notebook, 0);
        Assert.Equal(3, outputs.Count);
        Assert.Equal(new StreamOutput("stdout", "before\n"), outputs[0]);
        Assert.Equal("2", Assert.IsType<DisplayDataOutput>(outputs[1]).Data["text/plain"]);
        Assert.Equal(new StreamOutput("stdout", "after\n"), outputs[2]);
        Assert.Empty(TestNotebooks.OutputsOf(notebook, 1));
    }

    [Fact]
    public async Task RunAsync_SeveralDisplays_EachUpdateChangesOnlyItsOwnOutput()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "several.ipynb",
            "var first = display(\"a\");\nvar second = display(\"b\");\nvar third = display(\"c\");\nsecond.Update(\"B\");",
            "first.Update(\"A\");\nvar fourth = display(\"d\");\nfourth.Update(\"D\");");

        Assert.Equal(["A", "B", "c"], TestNotebooks.OutputsOf(notebook, 0).Select(output => Assert.IsType<DisplayDataOutput>(output).Data["text/plain"]));
        Assert.Equal(["D"], TestNotebooks.OutputsOf(notebook, 1).Select(output => Assert.IsType<DisplayDataOutput>(output).Data["text/plain"]));
    }

    [Fact]
    public async Task RunAsync_UpdateFromAnotherThread_ReplacesDisplayWhileCellWrites()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "threads.ipynb",
            "var view = display(-1);\nParallel.For(0, 200, i => { Console.Write(\"x\"); view.Update(i); });\nview.Update(\"done\");");

        var outputs = TestNotebooks.OutputsOf(notebook, 0);
        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal(2, outputs.Count);
        Assert.Equal("done", Assert.IsType<DisplayDataOutput>(outputs[0]).Data["text/plain"]);
        Assert.Equal(new StreamOutput("stdout", new string('x', 200)), outputs[1]);
    }

    [Theory]
    [InlineData("display(5)")]
    [InlineData("var x = 5;\ndisplay(x)")]
    [InlineData("object shown = display(5);\nshown")]
    public async Task RunAsync_TrailingDisplayedValue_DisplayDataOnlyNoExecuteResult(string code)
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "trailing.ipynb", code);

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        var displayed = Assert.IsType<DisplayDataOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0)));
        Assert.Equal("5", displayed.Data["text/plain"]);
    }

    [Fact]
    public async Task RunAsync_UpdateWithNull_SameOutputAsDisplayOfNull()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "null.ipynb", "display(null);", "display(\"shown\").Update(null);");

        var displayedNull = Assert.IsType<DisplayDataOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0)));
        var updatedToNull = Assert.IsType<DisplayDataOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 1)));
        Assert.Equal(displayedNull.Data.ToList(), updatedToNull.Data.ToList());
        Assert.Equal("<null>", updatedToNull.Data["text/plain"]);
    }

    [Fact]
    public async Task CheckAsync_NotebookStoredAfterUpdates_HoldsFinalValuesOnlyAndPasses()
    {
        var path = Path.Combine(_folder, "stored.ipynb");
        NotebookWriter.Write(TestNotebooks.FromCode("var view = display(\"starting\");", "view.Update(\"finished\");"), path);
        var executed = await NotebookRunner.RunAsync(path);
        NotebookWriter.Write(executed.Document, path);

        var stored = NotebookReader.Read(path).CodeCells.ToList();
        Assert.Equal("finished", Assert.IsType<DisplayDataOutput>(Assert.Single(stored[0].Outputs)).Data["text/plain"]);
        Assert.Empty(stored[1].Outputs);
        var json = File.ReadAllText(path);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "starting")); // in the source only
        Assert.DoesNotContain("transient", json);
        Assert.DoesNotContain("display_id", json);
        var report = await Course.Checking.NotebookChecker.CheckAsync(path);
        Assert.True(report.Passed, string.Join("\n", report.Mismatches));
    }

    [Fact]
    public async Task RunAsync_CompileError_ErrorOutputNamesCellAndLineAndStopsRun()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "compile.ipynb",
            "var fine = 1;",
            "var a = 1;\nvar b = missingName + a;",
            "Console.WriteLine(\"never\");");

        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 1)));
        Assert.Equal("CompilationError", error.EName);
        Assert.Contains("CS0103", error.EValue);
        Assert.Contains("missingName", error.EValue);
        // The title markdown cell is cell 1, so the second code cell is cell 3.
        Assert.StartsWith("compile.ipynb, cell 3, line 2, column 9: error CS0103", error.Traceback[0]);
        Assert.Equal([CellStatus.Succeeded, CellStatus.Failed, CellStatus.NotExecuted], notebook.CellRuns.Select(run => run.Status));
        var skipped = notebook.Document.CodeCells.Last();
        Assert.Empty(skipped.Outputs);
        Assert.Null(skipped.ExecutionCount);
    }

    [Fact]
    public async Task RunAsync_RuntimeErrorInMethodFromEarlierCell_TracebackNamesBothCellsAndLines()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "runtime.ipynb",
            "int Divide(int numerator, int denominator)\n{\n    return numerator / denominator;\n}",
            "Console.WriteLine(\"before\");\nvar zero = 0;\nDivide(1, zero);");

        var outputs = TestNotebooks.OutputsOf(notebook, 1);
        Assert.Equal(new StreamOutput("stdout", "before\n"), outputs[0]);
        var error = Assert.IsType<ErrorOutput>(outputs[1]);
        Assert.Equal("System.DivideByZeroException", error.EName);
        Assert.Equal(new DivideByZeroException().Message, error.EValue);
        Assert.Contains("   at runtime.ipynb, cell 2, line 3", error.Traceback);
        Assert.Contains("   at runtime.ipynb, cell 3, line 3", error.Traceback);
        Assert.DoesNotContain(error.Traceback, line => line.Contains(_folder, StringComparison.Ordinal));
        Assert.False(notebook.Succeeded);
    }

    [Fact]
    public async Task RunAsync_RelativeReference_ResolvedFromNotebookFolderWithDependencyBeside()
    {
        // lib/Greeter.dll depends on lib/Words.dll; the notebook sits in notebooks/ and references ../lib/Greeter.dll.
        var library = Path.Combine(_folder, "lib");
        var words = TestAssemblies.Compile(library, "Words", "namespace Words; public static class Vocabulary { public static string Hello => \"hello\"; }");
        TestAssemblies.Compile(library, "Greeter", "namespace Greeter; public static class Greeting { public static string For(string name) => Words.Vocabulary.Hello + \", \" + name; }", words);

        var notebooks = Directory.CreateDirectory(Path.Combine(_folder, "notebooks")).FullName;
        var notebook = await TestNotebooks.RunAsync(notebooks, "reference.ipynb",
            "#r \"../lib/Greeter.dll\"\nusing Greeter;",
            "Greeting.For(\"course\")");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal("hello, course", Assert.IsType<ExecuteResultOutput>(TestNotebooks.OutputsOf(notebook, 1)[0]).Data["text/plain"]);
    }

    [Fact]
    public async Task RunAsync_ReferenceToMissingFile_CompileErrorNamingIt()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "missing.ipynb", "#r \"../nowhere/Absent.dll\"");

        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0)));
        Assert.Equal("CompilationError", error.EName);
        Assert.Contains("Absent.dll", error.EValue);
    }

    [Fact]
    public async Task RunAsync_NuGetPackageTheLibraryBrings_ReferencedWithoutNetwork()
    {
        var library = Path.Combine(_folder, "lib");
        var helper = TestAssemblies.Compile(library, "Helper", "namespace Helper; public static class Numbers { public static int Seven => 7; }");
        TestAssemblies.Compile(library, "MainLibrary", "namespace MainLibrary; public static class Api { public static int Seven => Helper.Numbers.Seven; }", helper);
        File.WriteAllText(Path.Combine(library, "MainLibrary.deps.json"), """
            { "libraries": { "MainLibrary/1.0.0": { "type": "project" }, "Helper/2.1.0": { "type": "package" } } }
            """);

        var notebook = await TestNotebooks.RunAsync(_folder, "nuget.ipynb",
            "#r \"lib/MainLibrary.dll\"\n#r \"nuget: Helper, 2.1.0\"\nusing Helper;",
            "Numbers.Seven");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal("7", Assert.IsType<ExecuteResultOutput>(TestNotebooks.OutputsOf(notebook, 1)[0]).Data["text/plain"]);
    }

    [Fact]
    public async Task RunAsync_NuGetPackageWithOtherVersionThanLibrary_ErrorNamingBothVersions()
    {
        var library = Path.Combine(_folder, "lib");
        TestAssemblies.Compile(library, "MainLibrary", "namespace MainLibrary; public static class Api { }");
        File.WriteAllText(Path.Combine(library, "MainLibrary.deps.json"), """{ "libraries": { "Helper/2.1.0": { "type": "package" } } }""");

        var notebook = await TestNotebooks.RunAsync(_folder, "version.ipynb", "#r \"lib/MainLibrary.dll\"\n#r \"nuget: Helper, 1.0.0\"");

        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0)));
        Assert.Equal("PackageVersionMismatch", error.EName);
        Assert.Contains("1.0.0", error.EValue);
        Assert.Contains("2.1.0", error.EValue);
    }

    [Theory]
    [InlineData("#!time\nvar x = 1;", "#!time", 1)]
    [InlineData("var x = 1;\n#!fsharp", "#!fsharp", 2)]
    [InlineData("#i \"nuget: https://example.org/feed\"", "#i", 1)]
    [InlineData("var x = 1;\n#!csharp", "#!csharp", 2)]
    public async Task RunAsync_UnsupportedMagic_ErrorNamingMagicCellAndLine(string code, string magic, int line)
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "magic.ipynb", code);

        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0)));
        Assert.Equal("UnsupportedMagicCommand", error.EName);
        Assert.Contains($"'{magic}'", error.EValue);
        Assert.StartsWith($"magic.ipynb, cell 2, line {line}:", error.EValue);
    }

    [Fact]
    public async Task RunAsync_KernelSelectorOnFirstLine_AcceptedAndLinesStillMatch()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "selector.ipynb", "#!csharp\nvar x = 1;\nvar y = undefinedName;");

        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0)));
        Assert.StartsWith("selector.ipynb, cell 2, line 3, column 9:", error.Traceback[0]);
    }

    [Fact]
    public async Task RunAsync_ValueWithFormatterSourceConvention_BundleFromItsFormatters()
    {
        // A library defining its own TypeFormatterSourceAttribute, as the course library and .NET Interactive's convention do.
        var library = Path.Combine(_folder, "lib");
        TestAssemblies.Compile(library, "Shapes", """
            using System;
            using System.Collections.Generic;
            using System.IO;
            namespace Shapes;
            [AttributeUsage(AttributeTargets.Class)]
            public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
            {
                public Type FormatterSourceType { get; } = formatterSourceType;
            }
            [TypeFormatterSource(typeof(SquareFormatterSource))]
            public sealed record Square(int Side);
            internal sealed class SquareFormatterSource
            {
                public IEnumerable<object> CreateTypeFormatters() =>
                    [new SquareFormatter("text/html", s => $"<b>{s.Side}</b>"), new SquareFormatter("text/plain", s => $"square {s.Side}")];
            }
            public sealed class SquareFormatter(string mimeType, Func<Square, string> render)
            {
                public string MimeType => mimeType;
                public Type Type => typeof(Square);
                public bool Format(object instance, TextWriter writer) { writer.Write(render((Square)instance)); return true; }
            }
            """);

        var notebook = await TestNotebooks.RunAsync(_folder, "formatted.ipynb",
            "#r \"lib/Shapes.dll\"\nusing Shapes;\ndisplay(new Square(2));\nnew Square(3)");

        var outputs = TestNotebooks.OutputsOf(notebook, 0);
        var displayed = Assert.IsType<DisplayDataOutput>(outputs[0]).Data;
        Assert.Equal(["text/html", "text/plain"], displayed.Keys);
        Assert.Equal("<b>2</b>", displayed["text/html"]);
        Assert.Equal("square 2", displayed["text/plain"]);
        Assert.Equal("<b>3</b>", Assert.IsType<ExecuteResultOutput>(outputs[1]).Data["text/html"]);
    }

    [Fact]
    public async Task RunAsync_WorkingDirectory_IsNotebookFolderLikeVsCode()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "cwd.ipynb", "System.IO.Directory.GetCurrentDirectory()");

        var text = Assert.IsType<ExecuteResultOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 0))).Data["text/plain"];
        Assert.Equal(Path.GetFullPath(_folder).TrimEnd('/'), text.TrimEnd('/'));
    }

    [Fact]
    public async Task RunAsync_NotebookDocument_GetsPolyglotMetadata()
    {
        var document = TestNotebooks.FromCode("1") with { Metadata = [] };
        var executed = await NotebookRunner.RunAsync(document, Path.Combine(_folder, "meta.ipynb"));

        Assert.Equal(".net-csharp", executed.Document.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", executed.Document.CodeCells.Single().Metadata["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
    }
}
