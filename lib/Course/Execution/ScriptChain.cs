using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace Course.Execution;

/// <summary>
/// A notebook's cells as a chain of Roslyn scripts, each continuing the last accepted one, as the Polyglot C# kernel
/// compiles them: the notebook's magic lines are handled (<see cref="CellDirectives"/>), <c>#r "path"</c> is resolved
/// relative to the notebook, <c>#r "nuget: ..."</c> from what a referenced library brings (<see cref="PackageResolver"/>)
/// or else restored (<see cref="PackageRestore"/>, its native libraries made findable: <see cref="NativeLibraryProbing"/>),
/// and each cell gets a file path naming its cell (<see cref="CellErrors.CellFilePath"/>). The runner executes the
/// scripts; <c>course export</c> only compiles them, to read each cell's meaning.
/// </summary>
internal sealed class ScriptChain
{
    private readonly string _notebookPath;
    private readonly InteractiveAssemblyLoader? _assemblyLoader;
    private readonly List<string> _referencedAssemblyPaths = [];
    private readonly List<string> _restoredAssemblyPaths = [];
    private readonly PackageRestore _packages = new();
    private ScriptOptions _options;
    private Script<object>? _last;

    /// <param name="notebookPath">The notebook's full path; its folder anchors relative paths.</param>
    /// <param name="assemblyLoader">The loader for executing the scripts; null when they are only compiled.</param>
    public ScriptChain(string notebookPath, InteractiveAssemblyLoader? assemblyLoader = null)
    {
        _notebookPath = notebookPath;
        _assemblyLoader = assemblyLoader;
        _options = ScriptDefaults.For(Path.GetDirectoryName(notebookPath)!);
    }

    /// <summary>Full paths of the assemblies the notebook referenced with #r so far.</summary>
    public IReadOnlyList<string> ReferencedAssemblyPaths => _referencedAssemblyPaths;

    /// <summary>The assemblies of packages restored for #r "nuget:" lines so far, in the NuGet cache.</summary>
    public IReadOnlyList<string> RestoredAssemblyPaths => _restoredAssemblyPaths;

    /// <summary>
    /// The script of one more cell, continuing the last one passed to <see cref="Accept"/>; not yet part of the chain.
    /// </summary>
    /// <exception cref="CellSourceException">The cell uses a magic command or a package the runner does not support.</exception>
    public (Script<object> Script, CellDirectives Directives) Next(string source, CellLocation cell)
    {
        var directives = CellDirectives.Parse(source, cell);
        var cellFilePath = CellErrors.CellFilePath(_notebookPath, cell.CellNumber);
        RecordReferences(directives, cellFilePath);
        var toRestore = new List<PackageRequest>();
        foreach (var package in directives.Packages)
        {
            if (!PackageResolver.TryResolve(package, _referencedAssemblyPaths, out var libraryDll)) toRestore.Add(package);
            else if (libraryDll is not null) AddReference(libraryDll);
        }
        var restored = _packages.Restore(toRestore);
        if (restored.Count > 0)
        {
            // The Debian 12 fix first: the probing folder links to the files it patches.
            foreach (var package in restored) TorchSharpNative.Fix(package, toRestore[0].Location);
            NativeLibraryProbing.Add(restored);
            // Only to run: compiling (course export) needs the references, not the native code.
            if (_assemblyLoader is not null) TorchSharpNative.Load(restored, toRestore[0].Location);
            foreach (var assembly in restored.SelectMany(package => package.Assemblies))
            {
                AddReference(assembly);
                if (!_restoredAssemblyPaths.Contains(assembly)) _restoredAssemblyPaths.Add(assembly);
            }
        }

        var options = _options.WithFilePath(cellFilePath);
        var script = _last is null
            ? CSharpScript.Create(directives.Code, options, typeof(NotebookGlobals), _assemblyLoader)
            : _last.ContinueWith(directives.Code, options);
        return (script, directives);
    }

    /// <summary>Makes <paramref name="script"/>, made by <see cref="Next"/>, the one later cells continue.</summary>
    public void Accept(Script<object> script) => _last = script;

    /// <summary>The compile errors of <paramref name="script"/>.</summary>
    public static IReadOnlyList<Diagnostic> Errors(Script script) =>
        script.Compile().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>
    /// The cell's trailing expression (its last statement, an expression without semicolon: the cell's value) with its
    /// type, which is null when it does not bind; null when the cell has none.
    /// </summary>
    public static (ExpressionStatementSyntax Statement, ITypeSymbol? Type)? TrailingExpression(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Single();
        if (tree.GetRoot() is not CompilationUnitSyntax { Members: [.., GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement }] })
            return null;
        return (statement, compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type);
    }

    /// <summary>
    /// True when the cell ends with an expression without semicolon whose type is not void: Roslyn
    /// returns null both for "no trailing expression" and for an expression whose value is null,
    /// and the notebook must show <c>&lt;null&gt;</c> only in the second case.
    /// </summary>
    public static bool HasTrailingValue(Script script) =>
        TrailingExpression(script) is { Type: { } type } && type.SpecialType != SpecialType.System_Void;

    private void AddReference(string assemblyPath)
    {
        if (!_options.MetadataReferences.OfType<PortableExecutableReference>().Any(reference => reference.FilePath == assemblyPath))
            _options = _options.AddReferences(MetadataReference.CreateFromFile(assemblyPath));
    }

    /// <summary>Remembers where each #r resolved, so later #r "nuget:" lines can look beside those libraries.</summary>
    private void RecordReferences(CellDirectives directives, string cellFilePath)
    {
        foreach (var (path, _) in directives.References)
            foreach (var reference in _options.MetadataResolver.ResolveReference(path, cellFilePath, MetadataReferenceProperties.Assembly))
                if (reference.FilePath is { } resolved && !_referencedAssemblyPaths.Contains(resolved))
                    _referencedAssemblyPaths.Add(resolved);
    }
}
