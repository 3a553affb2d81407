using Course.Execution;
using Course.Checking;
using Course.Notebooks;

namespace Course.Cli;

/// <summary>
/// <c>course check</c>: re-executes notebooks and compares fresh outputs with the stored ones
/// (rules in <see cref="OutputComparer"/>), printing a diff per mismatch. Exit code 1 on any mismatch.
/// </summary>
public static class CheckCommand
{
    /// <summary>Runs the command described by <paramref name="commandLine"/>, printing to <paramref name="output"/>.</summary>
    public static async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output, CancellationToken interrupt = default)
    {
        var notebooks = NotebookPaths.Resolve(commandLine.Paths, RepositoryRoot.TryFind(Environment.CurrentDirectory));
        if (notebooks.Count == 0) output.WriteLine("No notebooks to check.");
        var options = new RunOptions(commandLine.CellTimeout, AllowErrors: false, interrupt) { Kernel = commandLine.Kernel };
        var progress = new ProgressPrinter(output);
        var executed = new List<ExecutedNotebook>();
        var failures = 0;
        foreach (var path in notebooks)
        {
            var report = await NotebookChecker.CheckAsync(path, progress.ForNotebook(path), options);
            if (interrupt.IsCancellationRequested)
            {
                output.WriteLine($"Interrupted while checking {Path.GetFileName(path)}.");
                return RunCommand.Interrupted;
            }
            executed.Add(report.Executed);
            foreach (var mismatch in report.Mismatches) output.Write(Describe(mismatch));
            if (!report.Passed) failures++;
            var error = report.Executed.FirstProblem is { } problem
                ? $", cell {problem.CellNumber} {(problem.Status == CellStatus.TimedOut ? "exceeded the time limit" : "failed")}"
                : "";
            output.WriteLine($"{(report.Passed ? "PASS" : "FAIL")} {Path.GetFileName(path)} ({report.Mismatches.Count} mismatches{error})");
            if (RunCommand.StopAfter(report.Executed, notRun: notebooks.Count - executed.Count, output))
            {
                failures += notebooks.Count - executed.Count;
                break;
            }
        }
        progress.Summary(executed);
        output.WriteLine($"{notebooks.Count - failures} of {notebooks.Count} notebooks match their stored outputs.");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>A mismatch as a readable unified-style diff.</summary>
    public static string Describe(OutputMismatch mismatch) =>
        $"MISMATCH {mismatch.Cell}: {mismatch.What}\n--- stored\n+++ fresh\n{LineDiff.Format(mismatch.Expected, mismatch.Actual)}\n";
}
