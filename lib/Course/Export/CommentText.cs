namespace Course.Export;

/// <summary>
/// Text as <c>//</c> comment lines: markdown cells (kept as written, headings, lists and LaTeX included, so they read as
/// in the notebook's source), notes of the export, and code kept as a comment. Markdown paragraphs, which notebooks store
/// as one long line each, are wrapped at spaces to <see cref="Width"/> columns; code blocks, tables, display math and
/// headings are never wrapped.
/// </summary>
internal static class CommentText
{
    /// <summary>The widest comment line the export writes, unless one word is wider.</summary>
    public const int Width = 120;

    /// <summary><paramref name="text"/> as comment lines starting with <paramref name="prefix"/>, long prose lines wrapped
    /// unless <paramref name="wrap"/> is false (code kept as a comment).</summary>
    public static string Of(string text, string prefix = "// ", bool wrap = true)
    {
        var lines = new List<string>();
        var inFence = false;
        foreach (var rawLine in text.Replace("\r\n", "\n").TrimEnd().Split('\n'))
        {
            var line = rawLine.TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)) inFence = !inFence;
            if (!wrap || inFence || prefix.Length + line.Length <= Width || trimmed.StartsWith('|') || trimmed.StartsWith('#') || trimmed.StartsWith("$$", StringComparison.Ordinal))
                lines.Add(line);
            else
                lines.AddRange(Wrapped(line, Width - prefix.Length));
        }
        return string.Join("\n", lines.Select(line => line.Length > 0 ? prefix + line : prefix.TrimEnd()));
    }

    /// <summary>A long line split at spaces; continuation lines are indented under the text of a list item or quote.</summary>
    private static IEnumerable<string> Wrapped(string line, int width)
    {
        var indentation = new string(' ', ContinuationIndent(line));
        var start = line.Length - line.TrimStart().Length;
        var current = new System.Text.StringBuilder(line[..start]);
        var lineHasWord = false;
        foreach (var word in line[start..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineHasWord && current.Length + 1 + word.Length > width)
            {
                yield return current.ToString();
                current.Clear().Append(indentation);
                lineHasWord = false;
            }
            if (lineHasWord) current.Append(' ');
            current.Append(word);
            lineHasWord = true;
        }
        yield return current.ToString();
    }

    /// <summary>Where the text of a list item ("- ", "1. "), a quote ("> ") or an indented line starts.</summary>
    private static int ContinuationIndent(string line)
    {
        var start = line.Length - line.TrimStart().Length;
        var rest = line[start..];
        var marker = rest.StartsWith("- ", StringComparison.Ordinal) || rest.StartsWith("* ", StringComparison.Ordinal) || rest.StartsWith("> ", StringComparison.Ordinal)
            ? 2
            : rest.TakeWhile(char.IsDigit).Count() is > 0 and var digits && rest.Length > digits + 1 && rest[digits] == '.' && rest[digits + 1] == ' ' ? digits + 2 : 0;
        return start + marker;
    }
}
