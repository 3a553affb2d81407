using System.Globalization;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Course.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
public sealed class NotebookSession
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
    private readonly InteractiveAssemblyLoader _assemblyLoader = new();
    private readonly List<string> _referencedAssemblyPaths = [];
    private ScriptOptions _options;
    private ScriptState<object>? _state;
    private CellOutputSink? _currentSink;

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
        _options = ScriptDefaults.For(_notebookFolder);
        _globals = new NotebookGlobals(value =>
            (_currentSink ?? throw new InvalidOperationException("display() was called outside a running cell."))
                .Display(ConventionFormatter.Format(value)));
    }

    /// <summary>
    /// The outputs of the latest run of cell <paramref name="cellNumber"/> as they are now, with the
    /// updates later cells made to its displays; empty for a cell that has not run.
    /// </summary>
    public IReadOnlyList<NotebookOutput> OutputsOf(int cellNumber) =>
        _sinksByCell.TryGetValue(cellNumber, out var sink) ? sink.Outputs : [];

    /// <summary>Full paths of the assemblies the notebook referenced with #r so far.</summary>
    public IReadOnlyList<string> ReferencedAssemblyPaths => _referencedAssemblyPaths;

    /// <summary>
    /// Runs one cell. Never throws for problems in the cell: they become its error output and
    /// <see cref="CellExecution.Succeeded"/> is false; the state stays as it was before the cell.
    /// </summary>
    /// <param name="source">The cell's source.</param>
    /// <param name="cellNumber">1-based number of the cell among all cells, for locations in errors.</param>
    /// <param name="executionCount">The count to put on an execute_result.</param>
    public async Task<CellExecution> ExecuteAsync(string source, int cellNumber, int executionCount)
    {
        var stopwatch = Stopwatch.StartNew();
        var sink = new CellOutputSink();
        _sinksByCell[cellNumber] = sink;
        var cell = new CellLocation(_notebookName, cellNumber);
        await ProcessWideGate.WaitAsync();
        var (originalOut, originalError, originalDirectory) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        var (originalCulture, originalUiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        bool succeeded;
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
            succeeded = await RunAsync(source, cell, executionCount, sink);
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
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            Environment.CurrentDirectory = originalDirectory;
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (originalCulture, originalUiCulture);
            ProcessWideGate.Release();
        }
        return new CellExecution(sink.Outputs, succeeded, stopwatch.Elapsed);
    }

    private async Task<bool> RunAsync(string source, CellLocation cell, int executionCount, CellOutputSink sink)
    {
        var directives = CellDirectives.Parse(source, cell);
        var cellFilePath = CellErrors.CellFilePath(_notebookPath, cell.CellNumber);
        RecordReferences(directives, cellFilePath);
        foreach (var package in directives.Packages)
            if (PackageResolver.Resolve(package, _referencedAssemblyPaths) is { } packageDll &&
                !_options.MetadataReferences.OfType<PortableExecutableReference>().Any(reference => reference.FilePath == packageDll))
                _options = _options.AddReferences(MetadataReference.CreateFromFile(packageDll));

        var options = _options.WithFilePath(cellFilePath);
        var script = _state is null
            ? CSharpScript.Create(directives.Code, options, typeof(NotebookGlobals), _assemblyLoader)
            : _state.Script.ContinueWith(directives.Code, options);
        var errors = script.Compile().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            sink.Add(CellErrors.FromDiagnostics(errors, cell, directives.Code));
            return false;
        }

        var state = _state is null
            ? await script.RunAsync(_globals, catchException: _ => true)
            : await script.RunFromAsync(_state, catchException: _ => true);
        if (state.Exception is { } exception)
        {
            // Keep what the cell declared before it threw, as the Polyglot kernel does.
            _state = state;
            sink.Add(CellErrors.FromException(exception, cell, _notebookPath));
            return false;
        }
        _state = state;
        // A trailing display(x) already showed x; its handle is no result of its own (the Polyglot
        // kernel's clients skip a DisplayedValue return value too).
        if (HasTrailingValue(script) && state.ReturnValue is not DisplayedValue)
            sink.Add(new ExecuteResultOutput(executionCount, ConventionFormatter.Format(state.ReturnValue), new JsonObject()));
        return true;
    }

    /// <summary>Remembers where each #r resolved, so later #r "nuget:" lines can look beside those libraries.</summary>
    private void RecordReferences(CellDirectives directives, string cellFilePath)
    {
        foreach (var (path, _) in directives.References)
            foreach (var reference in _options.MetadataResolver.ResolveReference(path, cellFilePath, MetadataReferenceProperties.Assembly))
                if (reference.FilePath is { } resolved && !_referencedAssemblyPaths.Contains(resolved))
                    _referencedAssemblyPaths.Add(resolved);
    }

    /// <summary>
    /// True when the cell ends with an expression without semicolon whose type is not void: Roslyn
    /// returns null both for "no trailing expression" and for an expression whose value is null,
    /// and the notebook must show <c>&lt;null&gt;</c> only in the second case.
    /// </summary>
    private static bool HasTrailingValue(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Single();
        if (tree.GetRoot() is not CompilationUnitSyntax { Members: [.., GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement }] })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }
}
