using System.Text;

namespace Course.Checking;

/// <summary>
/// A unified-style line diff ("-" stored, "+" fresh, "  " context) of two texts, lines compared by
/// the same tolerance as <see cref="TolerantText"/>, so it shows the lines that actually mismatch.
/// </summary>
public static class LineDiff
{
    /// <summary>Above this many line pairs the diff skips the common prefix and suffix only (no LCS) to stay fast.</summary>
    private const long MaxLcsCells = 4_000_000;

    private const int ContextLines = 2;

    /// <summary>The diff of <paramref name="expected"/> (stored) against <paramref name="actual"/> (fresh).</summary>
    public static string Format(string expected, string actual)
    {
        var expectedLines = TolerantText.NormalizeLineEndings(expected).Split('\n');
        var actualLines = TolerantText.NormalizeLineEndings(actual).Split('\n');
        var edits = Edits(expectedLines, actualLines);
        var builder = new StringBuilder();
        var lastPrinted = -1;
        for (var index = 0; index < edits.Count; index++)
        {
            if (edits[index].Kind == ' ') continue;
            var start = Math.Max(lastPrinted + 1, index - ContextLines);
            if (start > lastPrinted + 1) builder.Append("@@ stored line ").Append(edits[start].ExpectedLine + 1).Append(" @@\n");
            var end = index;
            // Extend through this change and its trailing context.
            while (end + 1 < edits.Count && (edits[end + 1].Kind != ' ' || NextChangeWithin(edits, end + 1))) end++;
            end = Math.Min(edits.Count - 1, end + ContextLines);
            for (var line = start; line <= end; line++) builder.Append(edits[line].Kind).Append(' ').Append(edits[line].Text).Append('\n');
            lastPrinted = end;
            index = end;
        }
        return builder.ToString();
    }

    private static bool NextChangeWithin(List<(char Kind, string Text, int ExpectedLine)> edits, int from)
    {
        for (var index = from; index < Math.Min(edits.Count, from + 2 * ContextLines + 1); index++)
            if (edits[index].Kind != ' ') return true;
        return false;
    }

    private static List<(char Kind, string Text, int ExpectedLine)> Edits(string[] expected, string[] actual)
    {
        int prefix = 0, suffix = 0;
        while (prefix < expected.Length && prefix < actual.Length && TolerantText.Equal(expected[prefix], actual[prefix])) prefix++;
        while (suffix < expected.Length - prefix && suffix < actual.Length - prefix &&
               TolerantText.Equal(expected[^(suffix + 1)], actual[^(suffix + 1)])) suffix++;
        var edits = new List<(char, string, int)>();
        for (var i = 0; i < prefix; i++) edits.Add((' ', expected[i], i));
        var expectedMiddle = expected[prefix..^suffix];
        var actualMiddle = actual[prefix..^suffix];
        if ((long)expectedMiddle.Length * actualMiddle.Length > MaxLcsCells)
        {
            for (var i = 0; i < expectedMiddle.Length; i++) edits.Add(('-', expectedMiddle[i], prefix + i));
            foreach (var line in actualMiddle) edits.Add(('+', line, prefix + expectedMiddle.Length));
        }
        else
        {
            // Longest common subsequence table, then walk it forwards.
            var lengths = new int[expectedMiddle.Length + 1, actualMiddle.Length + 1];
            for (var i = expectedMiddle.Length - 1; i >= 0; i--)
                for (var j = actualMiddle.Length - 1; j >= 0; j--)
                    lengths[i, j] = TolerantText.Equal(expectedMiddle[i], actualMiddle[j])
                        ? lengths[i + 1, j + 1] + 1
                        : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            int a = 0, b = 0;
            while (a < expectedMiddle.Length || b < actualMiddle.Length)
            {
                if (a < expectedMiddle.Length && b < actualMiddle.Length && TolerantText.Equal(expectedMiddle[a], actualMiddle[b]))
                { edits.Add((' ', expectedMiddle[a], prefix + a)); a++; b++; }
                // Removals before additions, as unified diffs show a changed line.
                else if (a < expectedMiddle.Length && (b == actualMiddle.Length || lengths[a + 1, b] >= lengths[a, b + 1]))
                { edits.Add(('-', expectedMiddle[a], prefix + a)); a++; }
                else
                { edits.Add(('+', actualMiddle[b], prefix + a)); b++; }
            }
        }
        for (var i = expected.Length - suffix; i < expected.Length; i++) edits.Add((' ', expected[i], i));
        return edits;
    }
}
