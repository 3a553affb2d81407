using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Export;

/// <summary>
/// The names that must change when a notebook's cells become one C# file. The notebook compiles each cell as a script
/// continuing the previous ones: a later cell may declare a name again (hiding the earlier one), its top-level variables
/// and functions are members that a block nested anywhere may shadow, and a function may be overloaded. In a file the
/// cells' statements make one block, where each of these is an error. So the first top-level declaration of a name keeps
/// it and each later one gets a fresh name (<c>points</c>, <c>points_2</c>, ...); variables of nested blocks (a loop's,
/// say) that share a top-level name are renamed instead; a top-level name that the cells also use for something outside
/// the block (a type, a member, the program's <c>args</c>) is renamed so that use still finds what it found in the
/// notebook; a type declared again is renamed like a variable. Every use is renamed with the declaration it binds to in
/// Roslyn's semantic model, so a use that meant the earlier declaration keeps meaning it.
/// </summary>
internal sealed class RenamePlan
{
    /// <summary>The parameter a file's top-level statements have, which no local may shadow.</summary>
    private const string ProgramArguments = "args";

    private readonly Dictionary<DeclarationKey, string> _newNames = [];
    private readonly List<(string OldName, string NewName, int CellNumber)> _renames = [];
    private readonly HashSet<string> _usedNames;

    private RenamePlan(HashSet<string> usedNames) => _usedNames = usedNames;

    /// <summary>New names by declaration.</summary>
    public IReadOnlyDictionary<DeclarationKey, string> NewNames => _newNames;

    /// <summary>Each renamed declaration, in file order, for the file's header.</summary>
    public IReadOnlyList<(string OldName, string NewName, int CellNumber)> Renames => _renames;

    /// <summary>The plan for <paramref name="cells"/> (those kept as comments are left out).</summary>
    public static RenamePlan For(IReadOnlyList<CompiledCell> cells)
    {
        var compiled = cells.Where(cell => cell.Treatment != CellTreatment.CommentedOut).ToList();
        var plan = new RenamePlan(compiled
            .SelectMany(cell => cell.Root.DescendantTokens().Where(token => token.IsKind(SyntaxKind.IdentifierToken)))
            .Select(token => token.ValueText).ToHashSet(StringComparer.Ordinal));
        var declarations = compiled.SelectMany(Declarations).ToList();
        var declared = declarations.Select(declaration => declaration.Key).ToHashSet();
        var usedOutsideTheBlock = compiled.SelectMany(cell => NamesUsedOutsideTheBlock(cell, declared)).ToHashSet(StringComparer.Ordinal);
        usedOutsideTheBlock.Add(ProgramArguments);

        foreach (var sameName in declarations.Where(declaration => declaration.Scope != Scope.Type).GroupBy(declaration => declaration.Name))
        {
            var topLevel = sameName.Where(declaration => declaration.Scope == Scope.TopLevel).ToList();
            var nested = sameName.Where(declaration => declaration.Scope == Scope.Nested).ToList();
            var keepsName = !usedOutsideTheBlock.Contains(sameName.Key);
            for (var index = keepsName ? 1 : 0; index < topLevel.Count; index++) plan.Rename(topLevel[index], plan.Fresh(sameName.Key));
            // Nested blocks are siblings (one inside another would already be an error in the notebook): they can share one name.
            if (nested.Count > 0 && (topLevel.Count > 0 && keepsName || sameName.Key == ProgramArguments))
            {
                var newName = plan.Fresh(sameName.Key);
                foreach (var declaration in nested) plan.Rename(declaration, newName);
            }
        }
        foreach (var sameType in declarations.Where(declaration => declaration.Scope == Scope.Type).GroupBy(declaration => (declaration.Name, declaration.Arity)))
            foreach (var declaration in sameType.Skip(1))
                plan.Rename(declaration, plan.Fresh(declaration.Name));
        plan._renames.Sort((a, b) => a.CellNumber.CompareTo(b.CellNumber));
        return plan;
    }

    /// <summary><paramref name="name"/> when no cell uses it, else a fresh variant; reserved from then on.</summary>
    public string Reserve(string name) => _usedNames.Add(name) ? name : Fresh(name);

    private string Fresh(string name)
    {
        for (var suffix = 2; ; suffix++)
            if (_usedNames.Add($"{name}_{suffix}")) return $"{name}_{suffix}";
    }

    private void Rename(Declaration declaration, string newName)
    {
        _newNames[declaration.Key] = newName;
        _renames.Add((declaration.Name, newName, declaration.CellNumber));
    }

    /// <summary>Where a declaration lives in the file: the top-level block, a block nested in it, or the global namespace (types).</summary>
    internal enum Scope { TopLevel, Nested, Type }

    /// <summary>A name a cell declares.</summary>
    internal sealed record Declaration(DeclarationKey Key, string Name, int Arity, Scope Scope, int CellNumber);

    /// <summary>The declarations of a cell that share the file's top-level block or the global namespace, in order.</summary>
    internal static IEnumerable<Declaration> Declarations(CompiledCell cell)
    {
        var wrapped = cell.Treatment == CellTreatment.WrappedInTryCatch;
        foreach (var member in cell.Root.Members)
        {
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    if (Declared(cell, member, Scope.Type) is { } type) yield return type;
                    break;
                case FieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                        if (Declared(cell, variable, wrapped ? Scope.Nested : Scope.TopLevel) is { } declaration) yield return declaration;
                    break;
                case MethodDeclarationSyntax method:
                    if (Declared(cell, method, wrapped ? Scope.Nested : Scope.TopLevel) is { } function) yield return function;
                    break;
                case GlobalStatementSyntax statement:
                    // Locals of lambdas and local functions may shadow the block's names, so their insides do not matter.
                    foreach (var node in statement.DescendantNodes(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
                    {
                        if (node is not (VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax or CatchDeclarationSyntax
                            or LocalFunctionStatementSyntax or QueryClauseSyntax or QueryContinuationSyntax)) continue;
                        // A script makes a cell's top-level expression variables (out var, deconstruction) fields, like its other variables.
                        var symbol = cell.Model.GetDeclaredSymbol(node);
                        if (Declared(cell, symbol, !wrapped && symbol is IFieldSymbol ? Scope.TopLevel : Scope.Nested) is { } declaration) yield return declaration;
                    }
                    break;
            }
        }
    }

    private static Declaration? Declared(CompiledCell cell, SyntaxNode node, Scope scope) => Declared(cell, cell.Model.GetDeclaredSymbol(node), scope);

    private static Declaration? Declared(CompiledCell cell, ISymbol? symbol, Scope scope) =>
        symbol is { Name.Length: > 0 } && DeclarationKey.Of(symbol) is { } key
            ? new Declaration(key, symbol.Name, symbol is INamedTypeSymbol type ? type.Arity : 0, scope, cell.CellNumber)
            : null;

    /// <summary>
    /// Names that the cell's statements and functions look up as simple names and find outside the file's top-level block:
    /// types, namespaces, members (<c>display</c>, a <c>using static</c> import). A top-level local of that name would hide them.
    /// </summary>
    private static IEnumerable<string> NamesUsedOutsideTheBlock(CompiledCell cell, HashSet<DeclarationKey> declared)
    {
        foreach (var member in cell.Root.Members.Where(member => member is not (BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)))
            foreach (var name in member.DescendantNodes().OfType<IdentifierNameSyntax>().Where(IsLookedUp))
                if (cell.Model.GetSymbolInfo(name).Symbol is { } symbol && !IsInTheBlock(symbol, declared))
                    yield return name.Identifier.ValueText;
    }

    private static bool IsInTheBlock(ISymbol symbol, HashSet<DeclarationKey> declared) =>
        symbol.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.RangeVariable or SymbolKind.Label or SymbolKind.Discard ||
        symbol.Kind is SymbolKind.Field or SymbolKind.Method && DeclarationKey.Of(symbol) is { } key && declared.Contains(key);

    /// <summary>False for a name after a dot or in an initializer's <c>Name = ...</c>: a member of something, not a lookup in scope.</summary>
    private static bool IsLookedUp(IdentifierNameSyntax name) => name.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Name != name,
        QualifiedNameSyntax qualified => qualified.Right != name,
        AliasQualifiedNameSyntax aliased => aliased.Name != name,
        MemberBindingExpressionSyntax or NameColonSyntax or NameEqualsSyntax => false,
        AssignmentExpressionSyntax assignment => !(assignment.Left == name && assignment.Parent is InitializerExpressionSyntax),
        _ => true,
    };
}
