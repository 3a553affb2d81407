using System.Globalization;
using Course.Notebooks;

namespace Course.Cli;

/// <summary>The lines run and check print while they work, and the summary table at the end.</summary>
internal sealed class ProgressPrinter(TextWriter output)
{
    /// <summary>One line per executed (or skipped) code cell: notebook, cell n/N, status, milliseconds.</summary>
    public Action<CellRun, int> ForNotebook(string notebookPath) => (run, cellCount) =>
    {
        var status = run.Status switch
        {
            CellStatus.Succeeded => "ok",
            CellStatus.Failed => "FAILED",
            CellStatus.ErrorAllowed => "error",
            CellStatus.TimedOut => "TIMEOUT",
            CellStatus.Interrupted => "STOPPED",
            _ => "not run",
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(notebookPath)}  {$"cell {run.CellNumber}/{cellCount}",-11} {status,-7} {run.Elapsed.TotalMilliseconds,8:F0} ms"));
    };

    /// <summary>The summary: one row per notebook with its code cells, errors and seconds.</summary>
    public void Summary(IReadOnlyList<ExecutedNotebook> notebooks)
    {
        var nameWidth = Math.Max("notebook".Length, notebooks.Select(notebook => Path.GetFileName(notebook.SourcePath).Length).DefaultIfEmpty(0).Max());
        output.WriteLine();
        output.WriteLine($"{"notebook".PadRight(nameWidth)}  {"cells",5}  {"errors",6}  {"seconds",8}");
        foreach (var notebook in notebooks)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(notebook.SourcePath).PadRight(nameWidth)}  {notebook.CellRuns.Count,5}  {notebook.ErrorCount,6}  {notebook.Elapsed.TotalSeconds,8:F1}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"total".PadRight(nameWidth)}  {notebooks.Sum(n => n.CellRuns.Count),5}  {notebooks.Sum(n => n.ErrorCount),6}  {notebooks.Sum(n => n.Elapsed.TotalSeconds),8:F1}"));
    }
}
