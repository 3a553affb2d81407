using Course.Checking;
using Course.Cli;

namespace Course.Tests;

/// <summary>
/// `check` over every lesson in notebooks/: each notebook is re-executed and must reproduce its
/// stored outputs (rules in OutputComparer). One case per notebook file, found at run time, so new
/// lessons are covered without touching this test. Needs the library built in Release
/// (the lessons #r ../lib/Generative/bin/Release/net10.0/Generative.dll).
/// </summary>
public sealed class CourseNotebookCheckTests
{
    /// <summary>Stands in for the notebook list while notebooks/ is still empty (xunit fails a theory without data).</summary>
    public const string NoNotebooksYet = "(no notebooks yet)";

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in NotebookPaths.Resolve([], TestFolders.RepositoryRoot)) data.Add(Path.GetFileName(path));
        if (data.Count == 0) data.Add(NoNotebooksYet);
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Check_CourseNotebook_FreshOutputsMatchStored(string fileName)
    {
        if (fileName == NoNotebooksYet)
        {
            Assert.Empty(NotebookPaths.Resolve([], TestFolders.RepositoryRoot));
            return;
        }

        var report = await NotebookChecker.CheckAsync(Path.Combine(TestFolders.NotebooksFolder, fileName));

        Assert.True(report.Passed, string.Concat(report.Mismatches.Select(CheckCommand.Describe)) + TestNotebooks.Errors(report.Executed));
    }
}
