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
    public static async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output, CancellationToken interrupt = default)
    {
        var root = RepositoryRoot.TryFind(Environment.CurrentDirectory);
        var notebooks = NotebookPaths.Resolve(commandLine.Paths, root);
        var outputFolder = commandLine.OutputFolder is { } given
            ? Path.GetFullPath(given)
            : Path.Combine(root ?? throw new UsageException($"No {RepositoryRoot.SolutionFileName} above the current folder to put artifacts/ in: pass --out DIR."), "artifacts");
        if (notebooks.Count == 0) output.WriteLine("No notebooks to run.");
        // Every notebook is read and its languages checked before any runs: a bad one stops the command with nothing written.
        var documents = notebooks.Select(path => NotebookReader.Read(path)).ToList();
        for (var i = 0; i < notebooks.Count; i++) NotebookRunner.CheckLanguages(documents[i], Path.GetFileName(notebooks[i]));

        var options = new RunOptions(commandLine.CellTimeout, commandLine.AllowErrors, interrupt) { Kernel = commandLine.Kernel };
        var progress = new ProgressPrinter(output);
        var executed = new List<ExecutedNotebook>();
        for (var i = 0; i < notebooks.Count; i++)
        {
            var path = notebooks[i];
            var notebook = await NotebookRunner.RunAsync(documents[i], path, progress.ForNotebook(path), options);
            if (interrupt.IsCancellationRequested)
            {
                // A notebook cut short by Ctrl-C is not written: its file (with --in-place, the source) stays as it was.
                output.WriteLine($"Interrupted: {Path.GetFileName(path)} was not written; {executed.Count} notebook(s) before it were.");
                return Interrupted;
            }
            var target = commandLine.InPlace ? path : Path.Combine(outputFolder, "notebooks", Path.GetFileName(path));
            NotebookWriter.Write(notebook.Document, target);
            executed.Add(notebook);
            if (StopAfter(notebook, notRun: notebooks.Count - executed.Count, output)) break;
        }
        progress.Summary(executed);

        var siteFolder = Path.Combine(outputFolder, "site");
        // README and docs/*.md go on the site beside the lessons when the command runs inside the repository.
        SiteBuilder.Build(executed, siteFolder, documents: root is null ? null : SiteDocument.FromRepository(root));
        output.WriteLine($"Site: {Path.Combine(siteFolder, "index.html")}");
        return executed.Count == notebooks.Count && executed.All(notebook => notebook.Succeeded) ? 0 : 1;
    }

    /// <summary>The exit code of a command stopped by Ctrl-C or SIGTERM (128 + SIGINT, as a shell reports it).</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// True when a cell of <paramref name="notebook"/> was abandoned still running: its thread cannot be stopped in this
    /// process and may still change shared state, so no further notebook runs beside it. Says so on <paramref name="output"/>.
    /// </summary>
    internal static bool StopAfter(ExecutedNotebook notebook, int notRun, TextWriter output)
    {
        if (!notebook.Abandoned) return false;
        output.WriteLine($"Stopping: cell {notebook.FirstProblem!.CellNumber} of {Path.GetFileName(notebook.SourcePath)} exceeded the time limit and cannot be stopped inside this process" +
            (notRun > 0 ? $"; {notRun} later notebook(s) were not run." : "."));
        return true;
    }
}
