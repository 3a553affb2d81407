using Course.Execution;
using Course.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Export;

/// <summary>How a code cell goes into the file-based app.</summary>
internal enum CellTreatment
{
    /// <summary>Its statements run in place, as in the notebook.</summary>
    Statements,

    /// <summary>Tagged raises-exception: it runs inside try/catch, which prints the error and lets the program go on.</summary>
    WrappedInTryCatch,

    /// <summary>Tagged raises-exception and not compilable (a deliberate compile error): kept as a comment.</summary>
    CommentedOut,
}

/// <summary>
/// One code cell as the notebook's script chain compiled it: its syntax tree and semantic model (in which later cells
/// see the declarations of earlier ones, as in the notebook), or, for a cell kept as a comment, why.
/// </summary>
internal sealed class CompiledCell
{
    private SemanticModel? _model;

    /// <summary>The notebook cell.</summary>
    public required NotebookCell Cell { get; init; }

    /// <summary>1-based number among all cells, as the runner and its errors count them.</summary>
    public required int CellNumber { get; init; }

    /// <summary>How the cell goes into the file.</summary>
    public required CellTreatment Treatment { get; init; }

    /// <summary>The cell's script compilation; null for a cell kept as a comment.</summary>
    public Compilation? Compilation { get; init; }

    /// <summary>The #r lines of the cell.</summary>
    public IReadOnlyList<(string Path, int Line)> References { get; init; } = [];

    /// <summary>The #r "nuget: ..." lines of the cell.</summary>
    public IReadOnlyList<PackageRequest> Packages { get; init; } = [];

    /// <summary>True when the cell ends with an expression whose value the notebook shows as the cell's result.</summary>
    public bool ShowsTrailingValue { get; init; }

    /// <summary>Why a cell is kept as a comment: its first compile error.</summary>
    public string? CommentReason { get; init; }

    /// <summary>The cell's syntax tree, parsed as script code.</summary>
    public SyntaxTree Tree => Compilation!.SyntaxTrees.Single();

    /// <summary>The cell's root.</summary>
    public CompilationUnitSyntax Root => (CompilationUnitSyntax)Tree.GetRoot();

    /// <summary>The semantic model of the cell.</summary>
    public SemanticModel Model => _model ??= Compilation!.GetSemanticModel(Tree);
}
