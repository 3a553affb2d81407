using Course.Checking;
using Course.Cli;
using Course.Execution;
using Course.Notebooks;
using Xunit.Abstractions;

namespace Course.Tests;

/// <summary>
/// The lessons run in .NET Interactive's own kernel: every lesson in notebooks/ (found at run time, so a new lesson is
/// covered without touching this test) and every VS Code-written fixture notebook is executed in Microsoft.DotNet.Interactive's
/// CSharpKernel (<c>--kernel dotnet-interactive</c>, the host process of lib/InteractiveHost) and every output, in every
/// MIME type, is compared with the stored notebook by <c>check</c>'s rules (<see cref="OutputComparer"/>). A mismatch
/// fails the test unless one of <see cref="KnownKernelDifferences"/> covers it narrowly. Slow (the real kernel compiles
/// every cell and the lessons train models: several minutes for all of them), so CI runs it with the rest.
/// </summary>
public sealed class InteractiveKernelConformanceTests(ITestOutputHelper log)
{
    public static TheoryData<string> Lessons() => CourseNotebookCheckTests.Notebooks();

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task CheckInDotnetInteractive_Lesson_OutputsMatchStoredOrAKnownDifference(string fileName)
    {
        await LessonLibrary.EnsureBuiltAsync();

        await AssertConformsAsync(Path.Combine(TestFolders.NotebooksFolder, fileName));
    }

    [FixturesTheory]
    [MemberData(nameof(FixtureNotebooks.Names), MemberType = typeof(FixtureNotebooks))]
    public async Task CheckInDotnetInteractive_VsCodeNotebook_OutputsMatchStoredOrAKnownDifference(string fileName)
    {
        Prerequisites.RequireFixtures();

        await AssertConformsAsync(Path.Combine(TestFolders.FixturesFolder, fileName));
    }

    /// <summary>Runs the notebook in the real kernel and fails on any mismatch no known difference covers.</summary>
    private async Task AssertConformsAsync(string path)
    {
        await KernelHost.EnsureBuiltAsync();
        var options = new RunOptions(RunOptions.DefaultCellTimeout) { Kernel = NotebookKernel.DotnetInteractive };

        var report = await NotebookChecker.CheckAsync(path, options: options);

        log.WriteLine($"{Path.GetFileName(path)}: {report.Executed.CellRuns.Count} code cells in .NET Interactive's kernel, {report.Executed.Elapsed.TotalSeconds:F1} s");
        Assert.True(report.Executed.Succeeded, TestNotebooks.Errors(report.Executed));
        var stored = NotebookReader.Read(path);
        var unexplained = new List<OutputMismatch>();
        foreach (var cellMismatches in report.Mismatches.GroupBy(mismatch => mismatch.Cell))
        {
            var index = cellMismatches.Key.CellNumber - 1;
            var (notCovered, applied) = KnownKernelDifferences.Sort(cellMismatches.Key, stored.Cells[index], report.Executed.Document.Cells[index]);
            unexplained.AddRange(notCovered);
            foreach (var name in applied) log.WriteLine($"known difference in {cellMismatches.Key}: {name}");
        }
        Assert.True(unexplained.Count == 0, string.Concat(unexplained.Select(CheckCommand.Describe)));
    }
}
