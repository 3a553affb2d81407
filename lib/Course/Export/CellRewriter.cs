using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Export;

/// <summary>
/// Rewrites one cell's syntax tree for the file: every identifier that declares a name in the <see cref="RenamePlan"/> or
/// binds to such a declaration (per the cell's semantic model) gets the new name, and the <c>#r</c> lines go (the file
/// has <c>#:project</c> instead). Everything else, comments and layout included, stays as the cell has it.
/// </summary>
internal sealed class CellRewriter(SemanticModel model, IReadOnlyDictionary<DeclarationKey, string> newNames) : CSharpSyntaxRewriter
{
    /// <summary>The rewritten root of <paramref name="cell"/>.</summary>
    public static CompilationUnitSyntax Rewrite(CompiledCell cell, RenamePlan plan) =>
        (CompilationUnitSyntax)new CellRewriter(cell.Model, plan.NewNames).Visit(cell.Root);

    public override SyntaxTrivia VisitTrivia(SyntaxTrivia trivia) =>
        trivia.IsKind(SyntaxKind.ReferenceDirectiveTrivia) ? default : base.VisitTrivia(trivia);

    // The rewriter visits the original tree's tokens, so each token's parent still has its place in the semantic model.
    public override SyntaxToken VisitToken(SyntaxToken token)
    {
        var visited = base.VisitToken(token);
        return token.IsKind(SyntaxKind.IdentifierToken) && DeclarationKey.Of(SymbolNamedBy(token)) is { } key && newNames.TryGetValue(key, out var newName)
            ? SyntaxFactory.Identifier(visited.LeadingTrivia, newName, visited.TrailingTrivia)
            : visited;
    }

    /// <summary>The symbol an identifier declares or refers to.</summary>
    private ISymbol? SymbolNamedBy(SyntaxToken identifier) => identifier.Parent switch
    {
        // When binding stopped short of choosing (a method group, say), the one candidate is what the name means.
        SimpleNameSyntax name => model.GetSymbolInfo(name) is { Symbol: null, CandidateSymbols: [var only] } ? only : model.GetSymbolInfo(name).Symbol,
        // A type's constructors and finalizer carry its name.
        ConstructorDeclarationSyntax or DestructorDeclarationSyntax => model.GetDeclaredSymbol(identifier.Parent)?.ContainingType,
        { } declaration => model.GetDeclaredSymbol(declaration),
        null => null,
    };
}
