using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// Conformance with the Polyglot C# kernel: the notebooks of dotnet/csharp-notebooks, executed and
/// saved by VS Code, are re-executed unmodified; every code cell's stdout must equal the stored
/// stdout (line endings normalised: they were saved on Windows, "\r\n"). All ten match; none needs
/// an exception. Skipped with the reason when ../shared/fixtures is absent.
/// </summary>
public sealed class FixtureConformanceTests
{
    [FixturesTheory]
    [MemberData(nameof(FixtureNotebooks.Names), MemberType = typeof(FixtureNotebooks))]
    public async Task RunAsync_VsCodeNotebook_StdoutEqualsStored(string fileName)
    {
        Prerequisites.RequireFixtures();
        var path = Path.Combine(TestFolders.FixturesFolder, fileName);
        var stored = NotebookReader.Read(path);

        var executed = await NotebookRunner.RunAsync(stored, path);

        Assert.True(executed.Succeeded, TestNotebooks.Errors(executed));
        for (var index = 0; index < stored.Cells.Count; index++)
        {
            if (!stored.Cells[index].IsCode) continue;
            Assert.Equal(Stdout(stored.Cells[index]), Stdout(executed.Document.Cells[index]));
        }
    }

    private static string Stdout(NotebookCell cell) =>
        string.Concat(cell.Outputs.OfType<StreamOutput>().Where(stream => stream.Name == "stdout").Select(stream => stream.Text)).Replace("\r\n", "\n");
}
