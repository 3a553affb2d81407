using System.Globalization;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Course.Notebooks;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace Course.Execution;

/// <summary>
/// One notebook's C# state, like a Polyglot C# kernel: the first cell starts a Roslyn script,
/// each later cell continues it, so declarations stay visible to later cells. A trailing
/// expression without semicolon becomes an execute_result, Console output becomes stream
/// outputs, <c>display(value)</c> becomes display_data (updatable through the returned
/// <see cref="DisplayedValue"/>), and errors become an error output.
/// </summary>
public sealed class NotebookSession : ICellSession
{
    /// <summary>
    /// Console and the current directory are process-wide, so cells of different sessions (tests
    /// run in parallel) take turns; within a notebook cells run one after another anyway.
    /// </summary>
    private static readonly SemaphoreSlim ProcessWideGate = new(1, 1);

    private readonly string _notebookPath;
    private readonly string _notebookFolder;
    private readonly string _notebookName;
    private readonly NotebookGlobals _globals;
    private readonly ScriptChain _scripts;
    private ScriptState<object>? _state;
    private CellOutputSink? _currentSink;
    private int? _abandonedCell;

    /// <summary>
    /// The sink of each cell's latest run, by cell number: a later cell may update a display of an
    /// earlier one, so a cell's outputs are final only when the whole notebook has run.
    /// </summary>
    private readonly Dictionary<int, CellOutputSink> _sinksByCell = [];

    /// <summary>Starts an empty session for the notebook at <paramref name="notebookPath"/> (it need not exist; its folder anchors relative paths).</summary>
    public NotebookSession(string notebookPath)
    {
        _notebookPath = Path.GetFullPath(notebookPath);
        _notebookFolder = Path.GetDirectoryName(_notebookPath)!;
        _notebookName = Path.GetFileName(_notebookPath);
        _scripts = new ScriptChain(_notebookPath, new InteractiveAssemblyLoader());
        _globals = new NotebookGlobals(value =>
            (_currentSink ?? throw new InvalidOperationException("display() was called outside a running cell."))
                .Display(ConventionFormatter.Format(value, _scripts.ReferencedAssemblyPaths)));
    }

    /// <summary>
    /// The outputs of the latest run of cell <paramref name="cellNumber"/> as they are now, with the
    /// updates later cells made to its displays; empty for a cell that has not run.
    /// </summary>
    public IReadOnlyList<NotebookOutput> OutputsOf(int cellNumber) =>
        _sinksByCell.TryGetValue(cellNumber, out var sink) ? sink.Outputs : [];

    /// <summary>Full paths of the assemblies the notebook referenced with #r so far.</summary>
    public IReadOnlyList<string> ReferencedAssemblyPaths => _scripts.ReferencedAssemblyPaths;

    /// <summary>
    /// Runs one cell. Never throws for problems in the cell: they become its error output and
    /// <see cref="CellExecution.Succeeded"/> is false; the state stays as it was before the cell.
    /// </summary>
    /// <param name="source">The cell's source.</param>
    /// <param name="cellNumber">1-based number of the cell among all cells, for locations in errors.</param>
    /// <param name="executionCount">The count to put on an execute_result.</param>
    public Task<CellExecution> ExecuteAsync(string source, int cellNumber, int executionCount) =>
        ExecuteAsync(source, cellNumber, executionCount, RunOptions.Default);

    /// <summary>
    /// Runs one cell on a thread of its own, for at most <see cref="RunOptions.CellTimeout"/> and until
    /// <see cref="RunOptions.Interrupt"/>. A cell still running then cannot be stopped (.NET cannot abort a thread): it is
    /// abandoned with an error output naming the notebook, the cell and the reason, and this session refuses further cells,
    /// since the abandoned code may still change its state.
    /// </summary>
    public async Task<CellExecution> ExecuteAsync(string source, int cellNumber, int executionCount, RunOptions options)
    {
        if (_abandonedCell is { } abandoned)
            throw new InvalidOperationException($"{_notebookName}: cell {abandoned} is still running, so this session cannot run cell {cellNumber}.");
        var stopwatch = Stopwatch.StartNew();
        var sink = new CellOutputSink();
        _sinksByCell[cellNumber] = sink;
        var cell = new CellLocation(_notebookName, cellNumber);
        await ProcessWideGate.WaitAsync();
        var (originalOut, originalError, originalDirectory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        var (originalCulture, originalUiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        bool succeeded;
        CellStatus? abandonedAs = null;
        try
        {
            Console.SetOut(sink.StreamWriter("stdout"));
            Console.SetError(sink.StreamWriter("stderr"));
            // VS Code starts the kernel in the notebook's folder; relative data paths depend on it.
            if (Directory.Exists(_notebookFolder)) Environment.CurrentDirectory = _notebookFolder;
            // Stored outputs must not depend on the machine's locale ("382,24" vs "382.24"), or `check` would
            // fail on a German laptop: cells run with the invariant culture.
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            _currentSink = sink;
            var running = OnOwnThread(() => RunAsync(source, cell, executionCount, sink));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.Interrupt);
            var finished = await Task.WhenAny(running, Task.Delay(options.CellTimeout, stop.Token));
            if (finished == running)
            {
                stop.Cancel();
                succeeded = await running;
            }
            else
            {
                abandonedAs = options.Interrupt.IsCancellationRequested ? CellStatus.Interrupted : CellStatus.TimedOut;
                _abandonedCell = cellNumber;
                // The notebook stores what the cell printed until now.
                sink.Add(AbandonedError(abandonedAs.Value, cell, options.CellTimeout, stopwatch.Elapsed));
                succeeded = false;
            }
        }
        catch (CellSourceException exception)
        {
            sink.Add(new ErrorOutput(exception.ErrorName, exception.Message, [$"   at {exception.Location}"]));
            succeeded = false;
        }
        catch (Exception exception)
        {
            // E.g. a formatter that threw while rendering the cell's result.
            sink.Add(CellErrors.FromException(exception, cell, _notebookPath));
            succeeded = false;
        }
        finally
        {
            _currentSink = null;
            // Abandoned code may go on printing: Console is process-wide, so its writes must not reach whatever reads
            // Console next (the command line's progress goes to the writer it captured at start).
            Console.SetOut(abandonedAs is null ? originalOut : TextWriter.Null);
            Console.SetError(abandonedAs is null ? originalError : TextWriter.Null);
            Environment.CurrentDirectory = originalDirectory;
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (originalCulture, originalUiCulture);
            ProcessWideGate.Release();
        }
        return new CellExecution(sink.Outputs, succeeded, stopwatch.Elapsed) { Abandoned = abandonedAs };
    }

    /// <summary>The error output of a cell abandoned still running: over <paramref name="limit"/>, or interrupted after <paramref name="elapsed"/>.</summary>
    internal static ErrorOutput AbandonedError(CellStatus abandonedAs, CellLocation cell, TimeSpan limit, TimeSpan elapsed) =>
        abandonedAs == CellStatus.TimedOut
            ? new ErrorOutput("CellTimeoutException",
                $"{cell.NotebookName}: cell {cell.CellNumber} was still running after {FormatLimit(limit)}, the limit per cell (--cell-timeout). The notebook stops here.", [])
            : new ErrorOutput("InterruptedException",
                $"{cell.NotebookName}: cell {cell.CellNumber} was interrupted (Ctrl-C) after {FormatLimit(elapsed)}. The notebook stops here.", []);

    /// <summary>Nothing to release: the session lives in this process (an abandoned cell's thread cannot be stopped).</summary>
    public void Dispose() { }

    /// <summary>"10 min", "90 s", "1.5 s": a limit as a person would write it.</summary>
    internal static string FormatLimit(TimeSpan limit) =>
        limit.TotalMinutes >= 1 && limit.TotalSeconds % 60 == 0 ? $"{limit.TotalMinutes:0} min"
        : string.Create(CultureInfo.InvariantCulture, $"{limit.TotalSeconds:0.###} s");

    /// <summary>Starts <paramref name="body"/> on a new background thread (8 MB of stack, as a main thread), so that a
    /// cell that never returns holds neither the caller nor a thread-pool thread, and does not keep the process alive.
    /// The thread inherits the execution context: culture and async-locals flow into the cell.</summary>
    private static Task<bool> OnOwnThread(Func<Task<bool>> body)
    {
        var completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(body().GetAwaiter().GetResult());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        }, maxStackSize: 8 << 20) { IsBackground = true, Name = "notebook cell" };
        thread.Start();
        return completion.Task;
    }

    private async Task<bool> RunAsync(string source, CellLocation cell, int executionCount, CellOutputSink sink)
    {
        var (script, directives) = _scripts.Next(source, cell);
        var errors = ScriptChain.Errors(script);
        if (errors.Count > 0)
        {
            sink.Add(CellErrors.FromDiagnostics(errors, cell, directives.Code));
            return false;
        }
        SharedFSharpCore.Load(_scripts.ReferencedAssemblyPaths, _scripts.RestoredAssemblyPaths);

        var state = _state is null
            ? await script.RunAsync(_globals, catchException: _ => true)
            : await script.RunFromAsync(_state, catchException: _ => true);
        // Later cells continue this one, also when it threw: they see what it declared before, as in the Polyglot kernel.
        _state = state;
        _scripts.Accept(script);
        if (state.Exception is { } exception)
        {
            sink.Add(CellErrors.FromException(exception, cell, _notebookPath));
            return false;
        }
        // A trailing display(x) already showed x; its handle is no result of its own (the Polyglot
        // kernel's clients skip a DisplayedValue return value too).
        if (ScriptChain.HasTrailingValue(script) && state.ReturnValue is not DisplayedValue)
            sink.Add(new ExecuteResultOutput(executionCount, ConventionFormatter.Format(state.ReturnValue, _scripts.ReferencedAssemblyPaths), new JsonObject()));
        return true;
    }
}
