using System.Diagnostics;
using Course.Execution;
using Course.Export;
using Course.Notebooks;
using Xunit.Abstractions;

namespace Course.Tests;

/// <summary>
/// Exported notebooks built and run with the .NET SDK (<c>dotnet build</c>, <c>dotnet run</c>) print what the notebook
/// stores, compared as <c>course check</c> compares outputs.
/// </summary>
[Collection(FileBasedAppsCollection.Name)]
public sealed class ExportedAppTests(ITestOutputHelper log)
{
    [Fact]
    public async Task DotnetRun_NotebookWithEveryRewrite_PrintsWhatTheRunnerStores()
    {
        var document = TestNotebooks.WithTags(TestNotebooks.FromCode(
            ExportedNotebooks.LibraryReference + "\nusing Generative.Training;",
            "Console.WriteLine(\"plain output\");\nvar view = display(TrainingProgress.Start);",
            // Updated from a later cell: the notebook stores the last value where the display was made.
            "view.Update(new TrainingProgress(1, 2, 5, 10, 0.75, null, 12.5));\nview.Update(new TrainingProgress(2, 2, 10, 10, 0.5, 0.25, null));",
            "record Point(double X, double Y);\nvar points = new[] { new Point(0, 1), new Point(2.5, -1) };\npoints",
            "for (var i = 0; i < points.Length; i++) Console.Write(i);\nConsole.WriteLine();\nvar half = points.Length / 2.0;",
            // A cell's names are visible in the whole cell, so the new points cannot be made from the old one in one cell.
            "var points = half;\nvar i = 10;\n(i, points)",
            "throw new InvalidOperationException(\"deliberate\");",
            "Console.WriteLine(\"the program goes on\");\n1.0 / 3"), 6, RunOptions.RaisesExceptionTag);
        var exported = await ExportedNotebooks.ExportAsync(document);
        var stored = await NotebookRunner.RunAsync(document, exported.NotebookPath);
        Assert.True(stored.Succeeded, TestNotebooks.Errors(stored));

        var run = await FileBasedApp.BuildAndRunAsync(exported.Write());

        ConsoleTranscript.AssertMatches(stored.Document, run.Output);
        Assert.Equal("", run.Error);
        // The rename and the progress rewritten in place are what made the outputs match; the transcript shows both.
        Assert.Contains("var points_2 = half;", exported.Text);
        Assert.Contains("[--------------------] starting\r[#####---------------] epoch 1/2, step 5/10, loss 0.75, 12.5 steps/s\r", run.Output);
    }

    [Fact]
    public async Task DotnetRun_ExportedLesson01_PrintsTheNotebooksStoredOutputs()
    {
        // Lesson 01 is the cheapest to run (about 3 s of cells, no training) and declares and displays the most kinds of value.
        await LessonLibrary.EnsureBuiltAsync();
        var lesson = Path.Combine(TestFolders.NotebooksFolder, "01-generative-models.ipynb");
        var stored = NotebookReader.Read(lesson);
        var output = Path.Combine(TestFolders.NewScratch("export-lesson"), "01-generative-models.cs");
        var stopwatch = Stopwatch.StartNew();
        var exported = NotebookExporter.Export(stored, lesson, output);
        var exportTime = stopwatch.Elapsed;
        Course.IO.AtomicTextFile.Write(output, exported);

        var run = await FileBasedApp.BuildAndRunAsync(output);

        log.WriteLine($"export {exportTime.TotalSeconds:F1} s, dotnet build {run.BuildTime.TotalSeconds:F1} s, dotnet run {run.RunTime.TotalSeconds:F1} s");
        ConsoleTranscript.AssertMatches(stored, run.Output);
        Assert.Equal("", run.Error);
    }
}
