using System.Diagnostics;
using System.Text.Json.Nodes;
using Course.Notebooks;

namespace Course.Execution;

/// <summary>
/// Runs a whole notebook top to bottom in a fresh <see cref="NotebookSession"/>, like Jupyter's
/// "run all": code cells get fresh outputs and execution counts 1, 2, ...; the run stops at the
/// first failing cell and the cells after it are left without outputs and count, so the written
/// notebook shows plainly what did not run. Cells tagged <c>raises-exception</c> (Jupyter's and nbval's
/// convention for a lesson's deliberate error), or every cell with <see cref="RunOptions.AllowErrors"/>, may fail:
/// their error is stored and the run goes on. A cell that exceeds <see cref="RunOptions.CellTimeout"/>, or is running
/// when the run is interrupted, always stops it. Markdown and raw cells are untouched. A cell's stored
/// outputs are its final ones: <c>display(x).Update(y)</c> from a later cell changes them in place.
/// </summary>
public static class NotebookRunner
{
    /// <summary>Reads and runs the notebook at <paramref name="path"/>.</summary>
    /// <param name="path">The .ipynb to run.</param>
    /// <param name="onCell">Called after each code cell (for progress lines), with the cell count of the notebook.</param>
    /// <param name="options">Time limit and error handling; <see cref="RunOptions.Default"/> when null.</param>
    public static Task<ExecutedNotebook> RunAsync(string path, Action<CellRun, int>? onCell = null, RunOptions? options = null) =>
        RunAsync(NotebookReader.Read(path), path, onCell, options);

    /// <summary>Runs <paramref name="document"/> as if it were stored at <paramref name="path"/> (relative #r paths resolve from its folder).</summary>
    /// <exception cref="InvalidDataException">A code cell is in a language other than C# (nothing is run).</exception>
    public static async Task<ExecutedNotebook> RunAsync(NotebookDocument document, string path, Action<CellRun, int>? onCell = null, RunOptions? options = null)
    {
        options ??= RunOptions.Default;
        CheckLanguages(document, Path.GetFileName(path));
        var stopwatch = Stopwatch.StartNew();
        using ICellSession session = options.Kernel == NotebookKernel.DotnetInteractive
            ? new Interactive.InteractiveKernelSession(path)
            : new NotebookSession(path);
        var cells = new List<NotebookCell>(document.Cells.Count);
        var runs = new List<CellRun>();
        var executionCount = 0;
        var stopped = false;
        for (var index = 0; index < document.Cells.Count; index++)
        {
            var cell = document.Cells[index];
            if (!cell.IsCode)
            {
                cells.Add(cell);
                continue;
            }
            CellRun run;
            if (stopped || options.Interrupt.IsCancellationRequested)
            {
                cells.Add(cell with { Outputs = [], ExecutionCount = null });
                run = new CellRun(index, index + 1, CellStatus.NotExecuted, TimeSpan.Zero);
            }
            else
            {
                executionCount++;
                var execution = await session.ExecuteAsync(cell.Source, index + 1, executionCount, options);
                cells.Add(cell with { Outputs = execution.Outputs, ExecutionCount = executionCount });
                var status = execution.Abandoned
                    ?? (execution.Succeeded ? CellStatus.Succeeded
                        : options.AllowErrors || HasTag(cell, RunOptions.RaisesExceptionTag) ? CellStatus.ErrorAllowed
                        : CellStatus.Failed);
                stopped = status.StopsTheRun();
                run = new CellRun(index, index + 1, status, execution.Elapsed);
            }
            runs.Add(run);
            onCell?.Invoke(run, document.Cells.Count);
        }
        // A later cell may have updated an earlier cell's display: store each cell's final outputs,
        // as Jupyter's saved notebook shows the last value where the display was created.
        foreach (var run in runs.Where(run => run.Status != CellStatus.NotExecuted))
            cells[run.CellIndex] = cells[run.CellIndex] with { Outputs = session.OutputsOf(run.CellNumber) };
        var executed = PolyglotMetadata.Apply(document with { Cells = cells });
        return new ExecutedNotebook(Path.GetFullPath(path), executed, runs, stopwatch.Elapsed);
    }

    /// <summary>True when the cell's metadata.tags holds <paramref name="tag"/>.</summary>
    public static bool HasTag(NotebookCell cell, string tag) =>
        cell.Metadata["tags"] is JsonArray tags && tags.Any(t => t is JsonValue value && value.TryGetValue<string>(out var text) && text == tag);

    /// <summary>
    /// The runner executes C# only: a code cell that the Polyglot metadata puts in another language (F#, PowerShell,
    /// JavaScript, SQL...) would fail with confusing compile errors, so the notebook is refused before anything runs, with
    /// the file, the cell and the language named. The notebook's own kernelspec must be C# too when it names a language.
    /// </summary>
    /// <exception cref="InvalidDataException">A cell, or the notebook, is in another language.</exception>
    public static void CheckLanguages(NotebookDocument document, string fileName)
    {
        if (document.Metadata["kernelspec"]?["language"] is JsonValue kernelLanguage && kernelLanguage.TryGetValue<string>(out var language)
            && !IsCSharp(language))
            throw new InvalidDataException(
                $"Notebook '{fileName}': its kernelspec language is '{language}', but the course runner executes only C# notebooks (kernelspec '.net-csharp', language 'C#').");
        for (var index = 0; index < document.Cells.Count; index++)
        {
            var cell = document.Cells[index];
            if (!cell.IsCode) continue;
            foreach (var (key, property) in new[] { ("dotnet_interactive", "language"), ("polyglot_notebook", "kernelName") })
            {
                var node = cell.Metadata[key]?[property];
                if (node is null) continue;
                if (node is not JsonValue value || !value.TryGetValue<string>(out var cellLanguage))
                    throw new InvalidDataException($"Notebook '{fileName}': cell {index + 1} has a {key}.{property} that is not a string.");
                if (!IsCSharp(cellLanguage))
                    throw new InvalidDataException(
                        $"Notebook '{fileName}': cell {index + 1} is in '{cellLanguage}' ({key}.{property}), but the course runner executes only C# ('csharp') cells.");
            }
        }
    }

    private static bool IsCSharp(string language) =>
        language.Equals("csharp", StringComparison.OrdinalIgnoreCase) || language.Equals("C#", StringComparison.OrdinalIgnoreCase);
}
