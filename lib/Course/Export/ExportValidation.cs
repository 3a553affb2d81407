using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Course.Export;

/// <summary>
/// Compiles an exported file the way <c>dotnet run</c> will (as a file-based program, against the framework and the
/// libraries the notebook referenced), so that a file that would not compile is never written: the export fails instead,
/// naming the cells the errors are in.
/// </summary>
internal static class ExportValidation
{
    /// <summary>How many errors the message lists.</summary>
    private const int ErrorsShown = 5;

    /// <summary>The parse options of a file-based program: its <c>#:</c> directives are legal.</summary>
    public static CSharpParseOptions FileBasedProgram { get; } =
        new CSharpParseOptions(LanguageVersion.Latest).WithFeatures([new("FileBasedProgram", "true")]);

    /// <summary>The compile errors of <paramref name="text"/> against <paramref name="references"/>; empty when it compiles.</summary>
    public static IReadOnlyList<Diagnostic> Errors(string text, IEnumerable<MetadataReference> references)
    {
        var tree = CSharpSyntaxTree.ParseText(text, FileBasedProgram, path: "exported.cs");
        var compilation = CSharpCompilation.Create("exported", [tree], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Annotations));
        return compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToList();
    }

    /// <summary>Throws when <paramref name="text"/> does not compile against <paramref name="references"/>.</summary>
    /// <exception cref="NotebookExportException">It does not; the message lists the first errors with their cells.</exception>
    public static void Check(AppText text, IEnumerable<MetadataReference> references, string notebookName)
    {
        var errors = Errors(text.ToString(), references);
        if (errors.Count == 0) return;
        var lines = text.ToString().Split('\n');
        var described = errors.Take(ErrorsShown).Select(error =>
        {
            var line = error.Location.GetLineSpan().StartLinePosition.Line;
            var where = text.CellOfLine(line) is { } cellNumber ? $"cell {cellNumber}" : "the code the export adds";
            var code = line < lines.Length ? lines[line].Trim() : "";
            return $"{where}: {error.Id}: {error.GetMessage(CultureInfo.InvariantCulture)} (in `{code}`)";
        });
        throw new NotebookExportException(notebookName, null,
            "the file-based app would not compile, which is a limit of `course export` (the notebook itself compiles); " +
            "changing those lines of the notebook avoids it:\n  " + string.Join("\n  ", described) +
            (errors.Count > ErrorsShown ? $"\n  ... and {errors.Count - ErrorsShown} more" : ""));
    }
}
