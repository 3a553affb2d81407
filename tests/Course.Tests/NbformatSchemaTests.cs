using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// Executed notebooks validated by Jupyter's own nbformat package (an independent reference for the
/// schema and the layout): the course's lessons and the VS Code fixtures are executed into a
/// scratch folder, then each file must pass nbformat.validate and be byte-identical to what
/// nbformat.writes produces for it. Needs Debian's python3-nbformat in /usr/bin/python3.
/// </summary>
public sealed class NbformatSchemaTests
{
    private const string ValidateAndRewrite = """
        import sys, nbformat
        failures = []
        for path in sys.argv[1:]:
            try:
                notebook = nbformat.read(path, as_version=4)
                nbformat.validate(notebook)
                with open(path, encoding="utf-8") as stored:
                    if stored.read() != nbformat.writes(notebook) + "\n":
                        failures.append(path + ": layout differs from nbformat.writes")
            except Exception as error:
                failures.append(path + ": " + str(error).splitlines()[0])
        print("\n".join(failures))
        sys.exit(1 if failures else 0)
        """;

    [NbformatFact]
    public async Task ExecutedNotebooks_ValidateWithNbformatAndMatchItsLayout()
    {
        Prerequisites.RequireNbformat();
        await LessonLibrary.EnsureBuiltAsync();
        var scratch = TestFolders.NewScratch("nbformat");
        var sources = Directory.EnumerateFiles(TestFolders.FixturesFolder, "*.ipynb")
            .Concat(Directory.Exists(TestFolders.NotebooksFolder) ? Directory.EnumerateFiles(TestFolders.NotebooksFolder, "*.ipynb") : [])
            .ToList();
        var written = new List<string>();
        foreach (var source in sources)
        {
            // Run in place (relative #r paths), write the result to the scratch folder.
            var executed = await NotebookRunner.RunAsync(source);
            Assert.True(executed.Succeeded, $"{source} failed to run:{TestNotebooks.Errors(executed)}");
            var target = Path.Combine(scratch, $"{written.Count:D2}-{Path.GetFileName(source)}");
            NotebookWriter.Write(executed.Document, target);
            written.Add(target);
        }

        var (exitCode, output, error) = Prerequisites.RunPython(ValidateAndRewrite, [.. written]);

        Assert.True(exitCode == 0, $"nbformat rejected executed notebooks:\n{output}{error}");
    }
}
