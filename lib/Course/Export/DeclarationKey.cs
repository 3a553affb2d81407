using Microsoft.CodeAnalysis;

namespace Course.Export;

/// <summary>
/// Names one declaration across the cells' compilations: the file path Roslyn was given for its cell and the position of
/// its name there. A symbol seen from a later cell's compilation is the same declaration with the same key.
/// </summary>
internal readonly record struct DeclarationKey(string FilePath, int Position)
{
    /// <summary>The key of <paramref name="symbol"/>'s declaration; null for symbols not declared in the notebook.</summary>
    public static DeclarationKey? Of(ISymbol? symbol) =>
        symbol?.OriginalDefinition.Locations.FirstOrDefault(location => location.IsInSource) is { SourceTree: { } tree } location
            ? new DeclarationKey(tree.FilePath, location.SourceSpan.Start)
            : null;
}
