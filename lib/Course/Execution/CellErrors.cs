using System.Diagnostics;
using System.Globalization;
using Course.Notebooks;
using Microsoft.CodeAnalysis;

namespace Course.Execution;

/// <summary>
/// Turns compile errors and runtime exceptions into error outputs whose traceback names the
/// notebook file, the cell number and the line within the cell. Each cell is compiled with a
/// file path of its own (<see cref="CellFilePath"/>), so a diagnostic's span and a stack frame's
/// file name say which cell they belong to; a runtime error may come from a method declared in
/// an earlier cell. No full paths go into outputs: notebooks are committed.
/// </summary>
internal static class CellErrors
{
    private const string CellMarker = "#cell";

    /// <summary>The path given to Roslyn for a cell: the notebook path (so #r resolves relative to its folder) plus the cell number.</summary>
    public static string CellFilePath(string notebookPath, int cellNumber) => notebookPath + CellMarker + cellNumber.ToString(CultureInfo.InvariantCulture);

    /// <summary>The cell number encoded in a path made by <see cref="CellFilePath"/>, or null for other files.</summary>
    public static int? CellNumberOf(string? filePath, string notebookPath) =>
        filePath is not null && filePath.StartsWith(notebookPath + CellMarker, StringComparison.Ordinal) &&
        int.TryParse(filePath.AsSpan(notebookPath.Length + CellMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var cellNumber)
            ? cellNumber
            : null;

    /// <summary>An error output listing every compile error of the cell with its line and the offending source line.</summary>
    public static ErrorOutput FromDiagnostics(IReadOnlyList<Diagnostic> errors, CellLocation cell, string code)
    {
        var sourceLines = code.Split('\n');
        var messages = new List<string>();
        var traceback = new List<string>();
        foreach (var error in errors)
        {
            var span = error.Location.GetLineSpan();
            var line = span.IsValid ? span.StartLinePosition.Line + 1 : (int?)null;
            var column = span.IsValid ? span.StartLinePosition.Character + 1 : 0;
            var where = cell with { Line = line };
            var message = $"{error.Id}: {error.GetMessage(CultureInfo.InvariantCulture)}";
            messages.Add(line is null ? message : $"(line {line}, column {column}) {message}");
            traceback.Add($"{where}, column {column}: error {message}");
            if (line is { } lineNumber && lineNumber <= sourceLines.Length)
                traceback.Add($"    {lineNumber} | {sourceLines[lineNumber - 1].TrimEnd('\r')}");
        }
        return new ErrorOutput("CompilationError", string.Join("\n", messages), traceback);
    }

    /// <summary>An error output for <paramref name="exception"/> thrown while running cell <paramref name="cell"/>.</summary>
    public static ErrorOutput FromException(Exception exception, CellLocation cell, string notebookPath)
    {
        var traceback = new List<string> { $"{exception.GetType().FullName}: {exception.Message}" };
        traceback.AddRange(Frames(exception, cell.NotebookName, notebookPath));
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
            traceback.AddRange(Frames(inner, cell.NotebookName, notebookPath));
        }
        if (!traceback.Exists(line => line.Contains(", cell ", StringComparison.Ordinal)))
            traceback.Add($"   in {cell}");
        return new ErrorOutput(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, traceback);
    }

    /// <summary>
    /// The exception's stack frames from the throw site down to the last frame in a cell: cell frames as
    /// "notebook, cell N, line L", library frames with their file name (not its full path); frames of the
    /// scripting host and of async plumbing are left out because they say nothing about the notebook.
    /// </summary>
    private static IEnumerable<string> Frames(Exception exception, string notebookName, string notebookPath)
    {
        var frames = new StackTrace(exception, fNeedFileInfo: true).GetFrames();
        var lastCellFrame = Array.FindLastIndex(frames, frame => CellNumberOf(frame.GetFileName(), notebookPath) is not null);
        for (var index = 0; index <= lastCellFrame; index++)
        {
            var frame = frames[index];
            var fileName = frame.GetFileName();
            var lineNumber = frame.GetFileLineNumber();
            if (CellNumberOf(fileName, notebookPath) is { } cellNumber)
            {
                yield return $"   at {new CellLocation(notebookName, cellNumber, lineNumber > 0 ? lineNumber : null)}";
                continue;
            }
            var method = frame.GetMethod();
            var typeName = method?.DeclaringType?.FullName ?? "";
            if (method is null || IsPlumbing(typeName)) continue;
            var file = fileName is null ? "" : $" in {Path.GetFileName(fileName)}:line {lineNumber}";
            yield return $"   at {typeName}.{method.Name}{file}";
        }
    }

    private static bool IsPlumbing(string typeName) =>
        typeName.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal) ||
        typeName.StartsWith("System.Runtime.ExceptionServices.", StringComparison.Ordinal) ||
        typeName.StartsWith("System.Threading.", StringComparison.Ordinal) ||
        typeName.StartsWith("Microsoft.CodeAnalysis.", StringComparison.Ordinal) ||
        typeName.StartsWith("Submission#", StringComparison.Ordinal);
}
