using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// One output of a code cell, as nbformat 4 defines them: <see cref="StreamOutput"/>,
/// <see cref="DisplayDataOutput"/>, <see cref="ExecuteResultOutput"/> or <see cref="ErrorOutput"/>.
/// A closed set: match on the derived type.
/// </summary>
public abstract record NotebookOutput
{
    /// <summary>The nbformat <c>output_type</c>: "stream", "display_data", "execute_result" or "error".</summary>
    public abstract string OutputType { get; }
}

/// <summary>Text a cell wrote to stdout or stderr (<c>output_type: "stream"</c>).</summary>
/// <param name="Name">"stdout" or "stderr".</param>
/// <param name="Text">The text, lines joined, with their line endings as written.</param>
public sealed record StreamOutput(string Name, string Text) : NotebookOutput
{
    public override string OutputType => "stream";
}

/// <summary>A value shown with <c>display(value)</c> (<c>output_type: "display_data"</c>).</summary>
/// <param name="Data">Mime type -> representation (see <see cref="MimeBundle"/>).</param>
/// <param name="Metadata">The output's metadata, kept as read.</param>
public sealed record DisplayDataOutput(MimeBundle Data, JsonObject Metadata) : NotebookOutput
{
    public override string OutputType => "display_data";
}

/// <summary>The value of a cell's trailing expression (<c>output_type: "execute_result"</c>).</summary>
/// <param name="ExecutionCount">The count of the cell that produced it; null in unexecuted notebooks.</param>
/// <param name="Data">Mime type -> representation (see <see cref="MimeBundle"/>).</param>
/// <param name="Metadata">The output's metadata, kept as read.</param>
public sealed record ExecuteResultOutput(int? ExecutionCount, MimeBundle Data, JsonObject Metadata) : NotebookOutput
{
    public override string OutputType => "execute_result";
}

/// <summary>A compile or runtime error that stopped a cell (<c>output_type: "error"</c>).</summary>
/// <param name="EName">The error's name, e.g. "System.DivideByZeroException" or "CompilationError".</param>
/// <param name="EValue">The error's message.</param>
/// <param name="Traceback">Lines locating the error: notebook file, cell number, line within the cell.</param>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : NotebookOutput
{
    public override string OutputType => "error";
}
