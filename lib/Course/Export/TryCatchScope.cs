using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Export;

/// <summary>
/// A cell tagged raises-exception runs inside try/catch in the file, so what it declares is local to that block. In the
/// notebook a later cell still sees those declarations (a cell that throws keeps what it declared before the throw); in
/// the file it cannot, which the export says plainly instead of writing a file that does not compile.
/// </summary>
internal static class TryCatchScope
{
    /// <exception cref="NotebookExportException">A cell uses a variable or function that a raises-exception cell before it declares.</exception>
    public static void Check(IReadOnlyList<CompiledCell> cells, string notebookName)
    {
        var declaredInTry = cells.Where(cell => cell.Treatment == CellTreatment.WrappedInTryCatch)
            .SelectMany(RenamePlan.Declarations)
            .Where(declaration => declaration.Scope != RenamePlan.Scope.Type)
            .ToDictionary(declaration => declaration.Key);
        if (declaredInTry.Count == 0) return;
        foreach (var cell in cells.Where(cell => cell.Treatment != CellTreatment.CommentedOut))
            foreach (var name in cell.Root.DescendantNodes().OfType<IdentifierNameSyntax>())
                if (DeclarationKey.Of(cell.Model.GetSymbolInfo(name).Symbol) is { } key && declaredInTry.TryGetValue(key, out var declaration)
                    && declaration.CellNumber != cell.CellNumber)
                    throw new NotebookExportException(notebookName, cell.CellNumber,
                        $"it uses {declaration.Name}, which cell {declaration.CellNumber} declares; that cell is tagged raises-exception, so in the file it " +
                        $"runs inside try/catch, where what it declares is not visible to later cells. Declare {declaration.Name} in a cell before it.");
    }
}
