using Course.Execution;
using Course.Notebooks;
using Course.Site;

namespace Course.Cli;

/// <summary>
/// <c>course run</c>: executes notebooks, writes the executed copies to OUT/notebooks/ (or back
/// into the sources with --in-place) and the site to OUT/site/. Exit code 1 when a cell failed.
/// </summary>
public static class RunCommand
{
    /// <summary>Runs the command described by <paramref name="commandLine"/>, printing progress to <paramref name="output"/>.</summary>
    public static async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output)
    {
        var root = RepositoryRoot.TryFind(Environment.CurrentDirectory);
        var notebooks = NotebookPaths.Resolve(commandLine.Paths, root);
        var outputFolder = commandLine.OutputFolder is { } given
            ? Path.GetFullPath(given)
            : Path.Combine(root ?? throw new UsageException($"No {RepositoryRoot.SolutionFileName} above the current folder to put artifacts/ in: pass --out DIR."), "artifacts");
        if (notebooks.Count == 0) output.WriteLine("No notebooks to run.");

        var progress = new ProgressPrinter(output);
        var executed = new List<ExecutedNotebook>();
        foreach (var path in notebooks)
        {
            var notebook = await NotebookRunner.RunAsync(path, progress.ForNotebook(path));
            var target = commandLine.InPlace ? path : Path.Combine(outputFolder, "notebooks", Path.GetFileName(path));
            NotebookWriter.Write(notebook.Document, target);
            executed.Add(notebook);
        }
        progress.Summary(executed);

        var siteFolder = Path.Combine(outputFolder, "site");
        SiteBuilder.Build(executed, siteFolder);
        output.WriteLine($"Site: {Path.Combine(siteFolder, "index.html")}");
        return executed.All(notebook => notebook.Succeeded) ? 0 : 1;
    }
}
