using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Course.Export;

/// <summary>
/// One code cell as parts of the file: its using directives (hoisted to the top), its statements (in place, with script
/// variables as locals, script functions as local functions and a last expression the notebook shows passed to
/// <c>display</c>), and its type declarations (moved after all top-level statements, where C# wants them).
/// </summary>
/// <param name="Usings">The cell's using directives, as <c>using X;</c>.</param>
/// <param name="Statements">The cell's code for the top-level statements, without leading or trailing blank lines.</param>
/// <param name="Types">The cell's type declarations with the comments above them.</param>
internal sealed record CellTranslation(IReadOnlyList<string> Usings, string Statements, IReadOnlyList<string> Types)
{
    /// <summary>Translates <paramref name="cell"/>'s <paramref name="root"/>, already renamed by <see cref="CellRewriter"/>.</summary>
    /// <exception cref="NotebookExportException">The cell declares a member a program's top level cannot hold (a property, an event).</exception>
    public static CellTranslation Of(CompiledCell cell, CompilationUnitSyntax root, string notebookName)
    {
        var usings = root.Usings.Select(directive => directive.WithoutTrivia().ToFullString()).ToList();
        var statements = new System.Text.StringBuilder();
        var types = new List<string>();
        for (var index = 0; index < root.Members.Count; index++)
        {
            var member = root.Members[index];
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Add(member.ToFullString().Trim('\r', '\n'));
                    statements.Append(Indentation(member))
                        .Append($"// {KindAndName(member)}: declared at the end of the file, since C# wants type declarations after the top-level statements.\n");
                    break;
                case FieldDeclarationSyntax field:
                    statements.Append(AsLocal(field).ToFullString());
                    break;
                case MethodDeclarationSyntax method:
                    statements.Append(AsLocalFunction(method).ToFullString());
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } trailing } when index == root.Members.Count - 1:
                    statements.Append(AsStatement(trailing, cell.ShowsTrailingValue));
                    break;
                case GlobalStatementSyntax statement:
                    statements.Append(statement.ToFullString());
                    break;
                default:
                    throw new NotebookExportException(notebookName, cell.CellNumber,
                        $"{KindAndName(member)} is declared at the top level of the cell, which a program's top-level statements cannot hold; " +
                        "declare it in a class, or make it a method or a variable.");
            }
        }
        statements.Append(root.EndOfFileToken.LeadingTrivia.ToFullString());
        return new CellTranslation(usings, TrimBlankLines(statements.ToString()), types);
    }

    /// <summary>
    /// A script variable is a field; in the file it is a local of the top-level statements. Modifiers other than const mean
    /// nothing for one run of a program and a local cannot have them. A field starts as its default value, while a local
    /// must be assigned before it is read, so one declared without a value gets <c>= default</c>.
    /// </summary>
    private static LocalDeclarationStatementSyntax AsLocal(FieldDeclarationSyntax field)
    {
        var variables = field.Declaration.Variables.Select(variable => variable.Initializer is not null ? variable
            : variable.WithIdentifier(variable.Identifier.WithTrailingTrivia())
                .WithInitializer(EqualsValueClause(Token(SyntaxKind.EqualsToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space),
                    LiteralExpression(SyntaxKind.DefaultLiteralExpression)).WithTrailingTrivia(variable.Identifier.TrailingTrivia)));
        var declaration = field.Declaration.WithVariables(SeparatedList(variables, field.Declaration.Variables.GetSeparators()));
        var modifiers = TokenList(field.Modifiers.Where(modifier => modifier.IsKind(SyntaxKind.ConstKeyword)));
        return LocalDeclarationStatement(modifiers, declaration, field.SemicolonToken).WithLeadingTrivia(field.GetLeadingTrivia());
    }

    /// <summary>A script function is a method; in the file it is a local function, which cannot have an access modifier.</summary>
    private static LocalFunctionStatementSyntax AsLocalFunction(MethodDeclarationSyntax method)
    {
        var modifiers = method.Modifiers.Where(modifier => modifier.Kind() is SyntaxKind.StaticKeyword or SyntaxKind.AsyncKeyword or SyntaxKind.UnsafeKeyword);
        return LocalFunctionStatement(method.AttributeLists, TokenList(modifiers), method.ReturnType, method.Identifier, method.TypeParameterList,
                method.ParameterList, method.ConstraintClauses, method.Body, method.ExpressionBody, method.SemicolonToken)
            .WithLeadingTrivia(method.GetLeadingTrivia());
    }

    /// <summary>
    /// The cell's last expression without semicolon: the notebook shows its value as the cell's result, so it goes to
    /// <c>display</c>; one without a value (void, or a display's handle, shown already) becomes a plain statement.
    /// </summary>
    private static string AsStatement(ExpressionStatementSyntax trailing, bool showsValue)
    {
        var expression = trailing.Expression.WithoutTrivia().ToFullString();
        var statement = showsValue ? $"display({expression});"
            : IsStatementExpression(trailing.Expression) ? $"{expression};"
            : $"_ = {expression};";    // a display's handle, say: a bare name is no statement
        return trailing.GetLeadingTrivia().ToFullString() + statement + trailing.Expression.GetTrailingTrivia().ToFullString();
    }

    /// <summary>True for the expressions C# accepts as statements: calls, assignments, increments, awaits, object creations.</summary>
    private static bool IsStatementExpression(ExpressionSyntax expression) =>
        expression is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax or BaseObjectCreationExpressionSyntax
            || expression.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression
                or SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression;

    private static string KindAndName(MemberDeclarationSyntax member) => member switch
    {
        TypeDeclarationSyntax type => $"{type.Keyword.ValueText} {type.Identifier.ValueText}",
        EnumDeclarationSyntax @enum => $"enum {@enum.Identifier.ValueText}",
        DelegateDeclarationSyntax @delegate => $"delegate {@delegate.Identifier.ValueText}",
        PropertyDeclarationSyntax property => $"property {property.Identifier.ValueText}",
        EventDeclarationSyntax or EventFieldDeclarationSyntax => "an event",
        IndexerDeclarationSyntax => "an indexer",
        _ => $"a {member.Kind()}",
    };

    /// <summary>The whitespace before the member on its line.</summary>
    private static string Indentation(SyntaxNode member) =>
        string.Concat(member.GetLeadingTrivia().Reverse().TakeWhile(trivia => trivia.IsKind(SyntaxKind.WhitespaceTrivia)).Select(trivia => trivia.ToFullString()));

    /// <summary><paramref name="code"/> without its leading and trailing blank lines (each line keeps its own indentation).</summary>
    private static string TrimBlankLines(string code)
    {
        var lines = code.Replace("\r\n", "\n").Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0])) lines.RemoveAt(0);
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1])) lines.RemoveAt(lines.Count - 1);
        return string.Join("\n", lines);
    }
}
