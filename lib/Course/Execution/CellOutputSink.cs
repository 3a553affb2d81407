using System.Text;
using Course.Notebooks;

namespace Course.Execution;

/// <summary>
/// Collects one cell's outputs in the order they happen: Console writes become stream outputs
/// (consecutive writes to the same stream merge into one output, as Jupyter shows them) and
/// <c>display</c> calls become display_data outputs between them. Thread-safe, because cells may
/// write from tasks and parallel loops, and a <see cref="DisplayedValue"/> may replace its output
/// while the cell is still writing (or after it ended, from a later cell).
/// </summary>
internal sealed class CellOutputSink
{
    private readonly List<NotebookOutput> _outputs = [];
    private readonly object _gate = new();

    /// <summary>A writer that appends to the stream output named <paramref name="streamName"/>.</summary>
    public TextWriter StreamWriter(string streamName) => new SinkWriter(this, streamName);

    /// <summary>Appends a non-stream output (display data, result, error).</summary>
    public void Add(NotebookOutput output)
    {
        lock (_gate) _outputs.Add(output);
    }

    /// <summary>Appends a display_data output of <paramref name="data"/> and returns the handle that updates it.</summary>
    public DisplayedValue Display(MimeBundle data)
    {
        lock (_gate)
        {
            _outputs.Add(new DisplayDataOutput(data, []));
            // Outputs are only ever appended (a stream merge rewrites the last output only when it is a
            // stream), so this index keeps pointing at this display for the life of the sink.
            return new DisplayedValue(this, _outputs.Count - 1);
        }
    }

    /// <summary>Replaces the data of the display_data output at <paramref name="index"/>, keeping its place and metadata.</summary>
    public void Replace(int index, MimeBundle data)
    {
        lock (_gate) _outputs[index] = (DisplayDataOutput)_outputs[index] with { Data = data };
    }

    /// <summary>The outputs so far.</summary>
    public IReadOnlyList<NotebookOutput> Outputs
    {
        get { lock (_gate) return _outputs.ToList(); }
    }

    private void Append(string streamName, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == streamName)
                _outputs[^1] = last with { Text = last.Text + text };
            else
                _outputs.Add(new StreamOutput(streamName, text));
        }
    }

    private sealed class SinkWriter(CellOutputSink sink, string streamName) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        // Console.WriteLine ends lines with Environment.NewLine; "\n" keeps outputs identical on every OS.
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string NewLine { get => "\n"; set { } }

        public override void Write(char value) => sink.Append(streamName, value.ToString());
        public override void Write(string? value) => sink.Append(streamName, value ?? "");
        public override void Write(char[] buffer, int index, int count) => sink.Append(streamName, new string(buffer, index, count));
    }
}
