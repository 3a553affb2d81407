using Course.Checking;
using Course.Cli;

namespace Course.Tests;

/// <summary>
/// `check` over every lesson in notebooks/: each notebook is re-executed and must reproduce its
/// stored outputs (rules in OutputComparer). One case per notebook file, found at run time, so new
/// lessons are covered without touching this test; an empty notebooks/ fails (a theory needs data).
/// </summary>
public sealed class CourseNotebookCheckTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in NotebookPaths.Resolve([], TestFolders.RepositoryRoot)) data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Check_CourseNotebook_FreshOutputsMatchStored(string fileName)
    {
        await LessonLibrary.EnsureBuiltAsync();

        var report = await NotebookChecker.CheckAsync(Path.Combine(TestFolders.NotebooksFolder, fileName));

        Assert.True(report.Passed, string.Concat(report.Mismatches.Select(CheckCommand.Describe)) + TestNotebooks.Errors(report.Executed));
    }
}
