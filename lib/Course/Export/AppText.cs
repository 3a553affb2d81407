using System.Text;

namespace Course.Export;

/// <summary>The exported file's text as it is built, remembering which cell each line came from, so that a compile error in
/// the file can name the notebook cell it is in.</summary>
internal sealed class AppText
{
    private readonly StringBuilder _text = new();
    private readonly List<int?> _cellOfLine = [];

    /// <summary>Appends <paramref name="lines"/> (each ended by a newline) as coming from cell <paramref name="cellNumber"/>.</summary>
    public void AppendLines(string lines, int? cellNumber = null)
    {
        foreach (var line in lines.Replace("\r\n", "\n").Split('\n'))
        {
            _text.Append(line).Append('\n');
            _cellOfLine.Add(cellNumber);
        }
    }

    /// <summary>Appends an empty line unless the text is empty or already ends with one.</summary>
    public void AppendSeparator()
    {
        if (_text.Length > 0 && !(_text.Length >= 2 && _text[^2] == '\n')) AppendLines("");
    }

    /// <summary>The cell line <paramref name="lineIndex"/> (0-based) came from; null for lines the export wrote.</summary>
    public int? CellOfLine(int lineIndex) => lineIndex >= 0 && lineIndex < _cellOfLine.Count ? _cellOfLine[lineIndex] : null;

    public override string ToString() => _text.ToString();
}
