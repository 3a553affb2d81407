using Course.Cli;
using Course.Notebooks;

namespace Course.Tests;

/// <summary><c>course export</c> on the command line: its options, its output, and its errors for bad input, in a child process
/// where the exit code matters.</summary>
public sealed class ExportCommandTests
{
    [Fact]
    public void Parse_ExportWithPathsAndTo_AllRead()
    {
        var commandLine = CommandLine.Parse(["export", "a.ipynb", "--to", "dir", "lessons"]);

        Assert.Equal(("export", "dir"), (commandLine.Command, commandLine.OutputFolder));
        Assert.Equal(["a.ipynb", "lessons"], commandLine.Paths);
        Assert.Contains("export [paths...] [--to DIR]", CommandLine.Usage);
    }

    [Theory]
    [InlineData(new[] { "export", "--to" }, "Option '--to' needs a value")]
    [InlineData(new[] { "export", "--out", "dir" }, "Unknown option '--out' for 'export'")]
    [InlineData(new[] { "run", "--to", "dir" }, "Unknown option '--to' for 'run'")]
    public void Parse_ExportBadOptions_UsageErrorSaysWhat(string[] args, string message)
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(args));
        Assert.Contains(message, error.Message);
    }

    private static async Task<string> NewFolderWithNotebooks(params (string Name, NotebookDocument Document)[] notebooks)
    {
        await LessonLibrary.EnsureBuiltAsync();
        var folder = TestFolders.NewScratch("export-cli");
        foreach (var (name, document) in notebooks) NotebookWriter.Write(document, Path.Combine(folder, name));
        return folder;
    }

    private static NotebookDocument Printing(string text) => TestNotebooks.FromCode(ExportedNotebooks.LibraryReference, $"Console.WriteLine(\"{text}\");");

    [Fact]
    public async Task Process_ExportTwoNotebooks_WritesOneFileEachAndReportsThem()
    {
        var folder = await NewFolderWithNotebooks(("a.ipynb", Printing("a")), ("b.ipynb", Printing("b")));

        var (exitCode, output, error) = await CourseProcess.RunAsync(folder, "export", "a.ipynb", "b.ipynb", "--to", "apps");

        Assert.True(exitCode == 0, error);
        Assert.Equal("Exported a.ipynb -> apps/a.cs\nExported b.ipynb -> apps/b.cs\nRun one with: dotnet run apps/a.cs\n", output);
        Assert.Contains("\nConsole.WriteLine(\"b\");\n", File.ReadAllText(Path.Combine(folder, "apps", "b.cs")));
        Assert.Equal(["a.cs", "b.cs"], Directory.GetFiles(Path.Combine(folder, "apps")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Process_ExportWithoutPathsInTheRepository_ExportsEveryNotebookToArtifactsExport()
    {
        var repository = await NewFolderWithNotebooks(("notebooks/01-one.ipynb", Printing("one")), ("notebooks/02-two.ipynb", Printing("two")));
        File.WriteAllText(Path.Combine(repository, RepositoryRoot.SolutionFileName), "");

        var (exitCode, output, error) = await CourseProcess.RunAsync(Path.Combine(repository, "notebooks"), "export");

        Assert.True(exitCode == 0, error);
        Assert.Contains("Exported 01-one.ipynb -> ../artifacts/export/01-one.cs\n", output);
        Assert.Equal(["01-one.cs", "02-two.cs"], Directory.GetFiles(Path.Combine(repository, "artifacts", "export")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Process_OneNotebookCannotBeExported_Exits1NamingItAndWritesNothing()
    {
        var broken = TestNotebooks.FromCode(ExportedNotebooks.LibraryReference, "undefinedName + 1");
        var folder = await NewFolderWithNotebooks(("a.ipynb", Printing("a")), ("b.ipynb", broken));

        var (exitCode, output, error) = await CourseProcess.RunAsync(folder, "export", ".", "--to", "apps");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("course: error: Cannot export 'b.ipynb': cell 3: does not compile: (line 1, column 1) CS0103: The name 'undefinedName' does not exist", error);
        Assert.Equal("", output);
        Assert.False(Directory.Exists(Path.Combine(folder, "apps")));
    }

    [Fact]
    public async Task Process_ExportPythonNotebook_Exits1NamingNotebookAndLanguage()
    {
        var python = TestNotebooks.FromCode("print(1)") with
        {
            Metadata = new System.Text.Json.Nodes.JsonObject { ["kernelspec"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "python3", ["language"] = "python" } },
        };
        var folder = await NewFolderWithNotebooks(("py.ipynb", python));

        var (exitCode, _, error) = await CourseProcess.RunAsync(folder, "export", "py.ipynb", "--to", "apps");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("course: error: Notebook 'py.ipynb': its kernelspec language is 'python', but the course runner executes only C# notebooks", error);
    }

    [Theory]
    [InlineData("missing.ipynb", "'missing.ipynb' does not exist.")]
    [InlineData("notes.txt", "'notes.txt' is not a notebook (.ipynb).")]
    [InlineData("--frobnicate", "Unknown option '--frobnicate' for 'export'.")]
    public async Task Process_ExportBadInput_Exits2NamingItWithUsage(string argument, string message)
    {
        var folder = TestFolders.NewScratch("export-cli");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a notebook");

        var (exitCode, _, error) = await CourseProcess.RunAsync(folder, "export", argument, "--to", "apps");

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"course: {message}\n", error);
        Assert.Contains("Usage: course <command>", error);
        Assert.False(Directory.Exists(Path.Combine(folder, "apps")));
    }

    [Fact]
    public async Task Process_ExportNotebookThatIsNotJson_Exits1NamingTheFile()
    {
        var folder = TestFolders.NewScratch("export-cli");
        File.WriteAllText(Path.Combine(folder, "broken.ipynb"), "{ not json");

        var (exitCode, _, error) = await CourseProcess.RunAsync(folder, "export", "broken.ipynb", "--to", "apps");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("course: error: ", error);
        Assert.Contains("broken.ipynb", error);
    }
}
