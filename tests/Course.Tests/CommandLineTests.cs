using Course.Cli;

namespace Course.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_RunWithPathsAndOptions_AllRead()
    {
        var commandLine = CommandLine.Parse(["run", "a.ipynb", "--out", "dir", "b.ipynb", "--in-place"]);

        Assert.Equal(("run", "dir", true), (commandLine.Command, commandLine.OutputFolder, commandLine.InPlace));
        Assert.Equal(["a.ipynb", "b.ipynb"], commandLine.Paths);
    }

    [Theory]
    [InlineData(new string[0], "No command given")]
    [InlineData(new[] { "publish" }, "Unknown command 'publish'")]
    [InlineData(new[] { "run", "--out" }, "Option '--out' needs a value")]
    [InlineData(new[] { "check", "--in-place" }, "Unknown option '--in-place' for 'check'")]
    [InlineData(new[] { "bench", "--repeat", "zero" }, "--repeat needs a positive whole number, not 'zero'")]
    public void Parse_BadArguments_UsageErrorSaysWhat(string[] args, string message)
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(args));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void NotebookPaths_MissingFile_UsageErrorNamesIt()
    {
        var error = Assert.Throws<UsageException>(() => NotebookPaths.Resolve(["nowhere/lesson.ipynb"], null));
        Assert.Contains("'nowhere/lesson.ipynb' does not exist", error.Message);
    }

    [Fact]
    public void RepositoryRoot_FromNestedFolder_FindsSolutionFolder()
    {
        var root = TestFolders.NewScratch("root");
        File.WriteAllText(Path.Combine(root, RepositoryRoot.SolutionFileName), "");
        var nested = Directory.CreateDirectory(Path.Combine(root, "a", "b")).FullName;

        Assert.Equal(root, RepositoryRoot.Find(nested));
    }

    [Fact]
    public void RepositoryRoot_NoSolutionAbove_UsageErrorNamesFolder()
    {
        var error = Assert.Throws<UsageException>(() => RepositoryRoot.Find("/"));
        Assert.Contains("No GenerativeCourse.sln in '/'", error.Message);
    }

    [Fact]
    public async Task Process_BadCommand_ExitCode2AndUsageOnStderr()
    {
        var (exitCode, _, error) = await CourseProcess.RunAsync(Path.GetTempPath(), "frobnicate");

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown command 'frobnicate'", error);
        Assert.Contains("Usage: course <command>", error);
    }

    [Fact]
    public async Task Process_RunFailingNotebook_WritesNotebookAndSiteAndExits1()
    {
        var folder = TestFolders.NewScratch("cli");
        var notebook = Path.Combine(folder, "failing.ipynb");
        Course.Notebooks.NotebookWriter.Write(TestNotebooks.FromCode("Console.WriteLine(40 + 2);", "throw new Exception(\"stop\");", "1"), notebook);
        var output = Path.Combine(folder, "out");

        var (exitCode, stdout, _) = await CourseProcess.RunAsync(folder, "run", notebook, "--out", output);

        Assert.Equal(1, exitCode);
        Assert.Contains("failing.ipynb  cell 3/4    FAILED", stdout);
        Assert.Contains("failing.ipynb  cell 4/4    not run", stdout);
        var written = Course.Notebooks.NotebookReader.Read(Path.Combine(output, "notebooks", "failing.ipynb"));
        Assert.Equal("42\n", Assert.IsType<Course.Notebooks.StreamOutput>(written.CodeCells.First().Outputs.Single()).Text);
        Assert.True(File.Exists(Path.Combine(output, "site", "index.html")));
    }

    [Fact]
    public async Task Process_CheckChangedStoredOutput_Exits1WithDiff()
    {
        var folder = TestFolders.NewScratch("cli-check");
        var notebook = Path.Combine(folder, "lesson.ipynb");
        var executed = await Course.Execution.NotebookRunner.RunAsync(TestNotebooks.FromCode("Console.WriteLine(Math.PI);"), notebook);
        var stored = executed.Document with
        {
            Cells = executed.Document.Cells.Select(cell => cell.IsCode ? cell with { Outputs = [new Course.Notebooks.StreamOutput("stdout", "3.14\n")] } : cell).ToList(),
        };
        Course.Notebooks.NotebookWriter.Write(stored, notebook);

        var (exitCode, stdout, _) = await CourseProcess.RunAsync(folder, "check", notebook);

        Assert.Equal(1, exitCode);
        Assert.Contains("MISMATCH lesson.ipynb, cell 2: output 1 (stream stdout)", stdout);
        Assert.Contains("- 3.14\n+ 3.141592653589793", stdout);
    }
}
