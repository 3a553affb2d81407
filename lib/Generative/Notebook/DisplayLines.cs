namespace Generative.Notebook;

/// <summary>
/// Prints displays on one text stream and rewrites the last one in place: a display of one line is left open (no line
/// end yet), an update of that display returns to the line's start with '\r' and prints the new text, and anything else
/// written to the console first ends the open line. Multi-line texts are printed whole and never rewritten.
/// </summary>
internal sealed class DisplayLines
{
    private readonly object _gate = new();
    private readonly TextWriter _output;
    private readonly bool _padForTerminal;
    private ConsoleDisplay? _openDisplay;
    private int _openLength;

    /// <param name="output">Where displays go.</param>
    /// <param name="padForTerminal">Pad a shorter update with spaces over the old text: needed on a terminal, where '\r'
    /// moves the cursor without erasing; not in a file, where the text after the last '\r' must be the value itself.</param>
    public DisplayLines(TextWriter output, bool padForTerminal) => (_output, _padForTerminal) = (output, padForTerminal);

    /// <summary>
    /// Displays on the process's standard output. Console.Out and Console.Error are replaced by writers that end an open
    /// display line before they write, and the open line is ended when the process exits.
    /// </summary>
    public static DisplayLines ForConsole()
    {
        var lines = new DisplayLines(Console.Out, padForTerminal: !Console.IsOutputRedirected);
        Console.SetOut(lines.EndingDisplayLines(Console.Out));
        Console.SetError(lines.EndingDisplayLines(Console.Error));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => lines.EndOpenLine();
        return lines;
    }

    /// <summary>Prints <paramref name="text"/> as a new display.</summary>
    public ConsoleDisplay Show(string text)
    {
        var display = new ConsoleDisplay(this);
        lock (_gate)
        {
            EndOpenLineLocked();
            Print(display, text);
        }
        return display;
    }

    /// <summary>Shows <paramref name="text"/> in place of <paramref name="display"/>'s text, or below it when that line is closed.</summary>
    public void Replace(ConsoleDisplay display, string text)
    {
        lock (_gate)
        {
            if (ReferenceEquals(display, _openDisplay) && !text.Contains('\n'))
            {
                _output.Write('\r' + (_padForTerminal ? text.PadRight(_openLength) : text));
                _output.Flush();
                _openLength = text.Length;
                return;
            }
            EndOpenLineLocked();
            Print(display, text);
        }
    }

    /// <summary>Ends the open display line, if any, so that other output starts on a line of its own.</summary>
    public void EndOpenLine()
    {
        lock (_gate) EndOpenLineLocked();
    }

    /// <summary>A writer that passes everything to <paramref name="writer"/>, ending an open display line first.</summary>
    public TextWriter EndingDisplayLines(TextWriter writer) => new LineEndingWriter(writer, this);

    private void Print(ConsoleDisplay display, string text)
    {
        _output.Write(text);
        if (text.Contains('\n'))
        {
            _output.WriteLine();
        }
        else
        {
            (_openDisplay, _openLength) = (display, text.Length);
        }
        _output.Flush();
    }

    private void EndOpenLineLocked()
    {
        if (_openDisplay is null)
        {
            return;
        }
        _output.WriteLine();
        _output.Flush();
        _openDisplay = null;
    }

    private sealed class LineEndingWriter(TextWriter inner, DisplayLines lines) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string NewLine { get => inner.NewLine; set => inner.NewLine = value; }

        public override void Write(char value)
        {
            lines.EndOpenLine();
            inner.Write(value);
        }

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            lines.EndOpenLine();
            inner.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            if (count == 0) return;
            lines.EndOpenLine();
            inner.Write(buffer, index, count);
        }

        public override void WriteLine(string? value)
        {
            lines.EndOpenLine();
            inner.WriteLine(value);
        }

        public override void Flush() => inner.Flush();
    }
}
