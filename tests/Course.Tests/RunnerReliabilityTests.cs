using System.Diagnostics;
using System.Text.Json.Nodes;
using Course.Checking;
using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// The runner cannot hang and honours the notebook conventions for errors: a per-cell time limit, Ctrl-C and SIGKILL
/// that leave the source notebooks untouched, cells tagged raises-exception, --allow-errors, and clear refusals of
/// notebooks in another language.
/// </summary>
public sealed class RunnerReliabilityTests
{
    [Fact]
    public async Task Run_CellTaggedRaisesException_StoresItsErrorAndRunsTheRest()
    {
        var folder = TestFolders.NewScratch("raises");
        var document = TestNotebooks.WithTags(TestNotebooks.FromCode("var x = 1;", "int y = \"text\";", "Console.WriteLine(x + 1);"), 1, "raises-exception");
        var notebook = await NotebookRunner.RunAsync(document, Path.Combine(folder, "lesson.ipynb"));
        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal([CellStatus.Succeeded, CellStatus.ErrorAllowed, CellStatus.Succeeded], notebook.CellRuns.Select(run => run.Status));
        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 1)));
        Assert.Contains("CS0029", error.EValue);
        Assert.Equal("2\n", Assert.IsType<StreamOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 2))).Text);
    }

    [Fact]
    public async Task Check_RaisesExceptionCellWithADifferentMessage_ReportsTheErrorMismatch()
    {
        var folder = TestFolders.NewScratch("raises-check");
        var path = Path.Combine(folder, "lesson.ipynb");
        var document = TestNotebooks.WithTags(TestNotebooks.FromCode("throw new InvalidOperationException(\"the lesson's point\");", "1 + 1"), 0, "raises-exception");
        var executed = await NotebookRunner.RunAsync(document, path);
        NotebookWriter.Write(executed.Document, path);
        Assert.True((await NotebookChecker.CheckAsync(path)).Passed);

        var changed = TestNotebooks.WithTags(TestNotebooks.FromCode("throw new InvalidOperationException(\"another message\");", "1 + 1"), 0, "raises-exception");
        var changedRun = await NotebookRunner.RunAsync(changed, path);
        var mismatches = NotebookChecker.Compare(executed.Document, changedRun.Document, "lesson.ipynb");
        var mismatch = Assert.Single(mismatches);
        Assert.Contains("(error)", mismatch.What);
        Assert.Contains("the lesson's point", mismatch.Expected);
        Assert.Contains("another message", mismatch.Actual);
    }

    [Fact]
    public async Task Run_UntaggedFailure_StopsUnlessErrorsAreAllowed()
    {
        var folder = TestFolders.NewScratch("allow-errors");
        var document = TestNotebooks.FromCode("throw new Exception(\"first\");", "Console.WriteLine(\"after\");");
        var stopped = await NotebookRunner.RunAsync(document, Path.Combine(folder, "a.ipynb"));
        Assert.False(stopped.Succeeded);
        Assert.Equal([CellStatus.Failed, CellStatus.NotExecuted], stopped.CellRuns.Select(run => run.Status));

        var allowed = await NotebookRunner.RunAsync(document, Path.Combine(folder, "a.ipynb"), options: RunOptions.Default with { AllowErrors = true });
        Assert.True(allowed.Succeeded);
        Assert.Equal([CellStatus.ErrorAllowed, CellStatus.Succeeded], allowed.CellRuns.Select(run => run.Status));
        Assert.Equal(1, allowed.ErrorCount);
    }

    [Fact]
    public async Task Run_CellBeyondTheTimeLimit_GetsAnErrorNamingNotebookCellAndLimitAndStops()
    {
        var folder = TestFolders.NewScratch("timeout");
        // A sleeping cell rather than a spinning one: the abandoned thread cannot be stopped, and should not burn a
        // core for the rest of the test run (the spinning case runs in a child process below).
        var document = TestNotebooks.FromCode("Console.WriteLine(\"before\");", "Console.WriteLine(\"started\"); System.Threading.Thread.Sleep(-1);", "Console.WriteLine(\"after\");");
        var stopwatch = Stopwatch.StartNew();
        var notebook = await NotebookRunner.RunAsync(document, Path.Combine(folder, "slow.ipynb"), options: new RunOptions(TimeSpan.FromSeconds(5)));
        Assert.Equal([CellStatus.Succeeded, CellStatus.TimedOut, CellStatus.NotExecuted], notebook.CellRuns.Select(run => run.Status));
        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 4.9, 60);
        Assert.True(notebook.Abandoned);
        var outputs = TestNotebooks.OutputsOf(notebook, 1);
        Assert.Equal("started\n", Assert.IsType<StreamOutput>(outputs[0]).Text);
        var error = Assert.IsType<ErrorOutput>(outputs[^1]);
        Assert.Equal("CellTimeoutException", error.EName);
        Assert.Equal("slow.ipynb: cell 3 was still running after 5 s, the limit per cell (--cell-timeout). The notebook stops here.", error.EValue);
    }

    [Theory]
    [InlineData("dotnet_interactive", "language", "fsharp", "cell 3 is in 'fsharp' (dotnet_interactive.language)")]
    [InlineData("polyglot_notebook", "kernelName", "pwsh", "cell 3 is in 'pwsh' (polyglot_notebook.kernelName)")]
    public async Task Run_CellInAnotherLanguage_RefusedBeforeAnythingRunsNamingFileAndCell(string key, string property, string language, string message)
    {
        var folder = TestFolders.NewScratch("language");
        var document = TestNotebooks.FromCode("File.WriteAllText(\"ran.txt\", \"yes\");", "let x = 1");
        var cells = document.Cells.ToList();
        cells[2] = cells[2] with { Metadata = new JsonObject { [key] = new JsonObject { [property] = language } } };
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            NotebookRunner.RunAsync(document with { Cells = cells }, Path.Combine(folder, "mixed.ipynb")));
        Assert.Equal($"Notebook 'mixed.ipynb': {message}, but the course runner executes only C# ('csharp') cells.", error.Message);
        Assert.False(File.Exists(Path.Combine(folder, "ran.txt")));
    }

    [Fact]
    public async Task Run_PythonKernelspec_RefusedNamingTheLanguage()
    {
        var document = TestNotebooks.FromCode("1");
        document = document with { Metadata = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "python3", ["language"] = "python" } } };
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => NotebookRunner.RunAsync(document, "py.ipynb"));
        Assert.Contains("Notebook 'py.ipynb': its kernelspec language is 'python'", error.Message);
    }

    // ------------------------------------------------------------------ the real command line, in a child process

    private static string WriteNotebook(string folder, string name, params string[] sources)
    {
        var path = Path.Combine(folder, name);
        NotebookWriter.Write(TestNotebooks.FromCode(sources), path);
        return path;
    }

    /// <summary>
    /// <paramref name="start"/> with SIGINT at its default disposition in the child. A test run started in the
    /// background by a non-interactive shell (<c>cmd &amp;</c>, nohup) has SIGINT ignored, children inherit that, and the
    /// runtime rightly leaves an ignored SIGINT ignored: Ctrl-C could then not reach the runner at all, and the test would
    /// measure how it was launched. coreutils' env resets it (Linux; elsewhere the test starts the runner as it is).
    /// </summary>
    private static ProcessStartInfo WithSignalsAtDefault(ProcessStartInfo start)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/env"))
        {
            return start;
        }
        var wrapped = new ProcessStartInfo("/usr/bin/env")
        {
            WorkingDirectory = start.WorkingDirectory,
            RedirectStandardOutput = start.RedirectStandardOutput,
            RedirectStandardError = start.RedirectStandardError,
        };
        foreach (var argument in (string[])["--default-signal=INT", start.FileName, .. start.ArgumentList])
        {
            wrapped.ArgumentList.Add(argument);
        }
        return wrapped;
    }

    private static ProcessStartInfo Course(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "course.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    [Fact]
    public async Task Process_InfiniteLoopCell_TimesOutExits1AndSkipsLaterNotebooks()
    {
        var folder = TestFolders.NewScratch("loop");
        // One code cell: the child's first cell also pays for compiling the script engine, which on a loaded machine
        // can itself take longer than a short limit, so a separate first cell would make the test time-dependent.
        WriteNotebook(folder, "a-loop.ipynb", "var i = 0; while (true) { i++; }");
        WriteNotebook(folder, "b-next.ipynb", "1 + 1");
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(Course(folder, "run", "a-loop.ipynb", "b-next.ipynb", "--cell-timeout", "3s", "--out", "out"))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), "the runner hung on an endless cell");
        Assert.Equal(1, process.ExitCode);
        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 3, 120);
        var stdout = await output;
        Assert.Contains("a-loop.ipynb  cell 2/2    TIMEOUT", stdout);
        Assert.Contains("Stopping: cell 2 of a-loop.ipynb exceeded the time limit and cannot be stopped inside this process; 1 later notebook(s) were not run.", stdout);
        var written = NotebookReader.Read(Path.Combine(folder, "out", "notebooks", "a-loop.ipynb"));
        var error = Assert.IsType<ErrorOutput>(written.CodeCells.Last().Outputs.Last());
        Assert.Equal("a-loop.ipynb: cell 2 was still running after 3 s, the limit per cell (--cell-timeout). The notebook stops here.", error.EValue);
        Assert.False(File.Exists(Path.Combine(folder, "out", "notebooks", "b-next.ipynb")));
        Assert.Equal("", await errors);
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("KILL", 137)]
    public async Task Process_SignalDuringInPlaceRun_LeavesTheSourceNotebookUntouched(string signal, int exitCode)
    {
        var folder = TestFolders.NewScratch($"signal-{signal}");
        var path = WriteNotebook(folder, "lesson.ipynb", "Console.WriteLine(\"first\");", "Console.WriteLine(\"waiting\"); System.Threading.Thread.Sleep(60_000);", "2");
        var before = File.ReadAllBytes(path);
        using var process = Process.Start(WithSignalsAtDefault(Course(folder, "run", "lesson.ipynb", "--in-place", "--out", "out")))!;
        var errors = process.StandardError.ReadToEndAsync();
        // Wait until the first cell has finished: the second is then sleeping.
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.Contains("cell 2/4"))
        {
        }
        Assert.NotNull(line);
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()])!)
        {
            await kill.WaitForExitAsync();
        }
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"the runner did not stop on SIG{signal}");
        var rest = await process.StandardOutput.ReadToEndAsync();
        // The streams in the message, so a failure says what the runner did. (The sleeping cell once named Thread without
        // System.Threading, which the kernel does not import: it failed to compile, and the signal raced the error.)
        Assert.True(process.ExitCode == exitCode, $"exit code {process.ExitCode}, expected {exitCode}; stdout after cell 2: {rest}; stderr: {await errors}");
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["lesson.ipynb"], Directory.GetFiles(folder).Select(Path.GetFileName));
        if (signal == "INT")
        {
            Assert.Contains("SIGINT received", await errors);
            Assert.Contains("Interrupted: lesson.ipynb was not written; 0 notebook(s) before it were.", rest);
        }
    }

    [Theory]
    [InlineData("abc", "--cell-timeout needs a positive duration of at most a day, such as 90s, 10m, 1h or 600 (seconds), not 'abc'.")]
    [InlineData("0", "not '0'")]
    [InlineData("2d", "not '2d'")]
    public void Parse_BadCellTimeout_UsageErrorSaysWhat(string value, string message)
    {
        var error = Assert.Throws<global::Course.Cli.UsageException>(() => global::Course.Cli.CommandLine.Parse(["run", "--cell-timeout", value]));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1.5m", 90)]
    [InlineData("1h", 3600)]
    [InlineData("45", 45)]
    public void Parse_CellTimeout_ReadsUnits(string value, double seconds)
    {
        var commandLine = global::Course.Cli.CommandLine.Parse(["check", "--cell-timeout", value]);
        Assert.Equal(TimeSpan.FromSeconds(seconds), commandLine.CellTimeout);
        Assert.Equal(RunOptions.DefaultCellTimeout, global::Course.Cli.CommandLine.Parse(["run"]).CellTimeout);
    }
}
