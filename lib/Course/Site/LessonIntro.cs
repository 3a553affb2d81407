using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Course.Notebooks;

namespace Course.Site;

/// <summary>
/// What a lesson says about itself in its first cell, which every lesson writes in one layout:
/// <code>
/// # Lesson 04 · Autoregressive models
///
/// **In one line.** Keep the chain rule exact and learn each conditional: ...
///
/// (any prose)
///
/// **Learning goals.** After this lesson you can
///
/// - write the density of an image with the chain rule ...;
/// - build FVSBN, NADE and MADE ....
///
/// (any prose)
/// </code>
/// The summary is the paragraph right after the title; the goals are the bullet list right after the lead-in line.
/// Summary and goals stay markdown (emphasis, <c>$math$</c>) for the site's renderer.
/// </summary>
/// <param name="Number">The lesson's number, from the title.</param>
/// <param name="Title">The heading's text, e.g. <c>Lesson 04 · Autoregressive models</c>.</param>
/// <param name="Summary">The one-line summary, without its label.</param>
/// <param name="Goals">The learning goals, one markdown item each, without the bullet.</param>
internal sealed partial record LessonIntro(int Number, string Title, string Summary, IReadOnlyList<string> Goals)
{
    /// <summary>The label that opens the summary paragraph.</summary>
    public const string SummaryLabel = "**In one line.**";

    /// <summary>The line the learning goals' list follows.</summary>
    public const string GoalsLead = "**Learning goals.** After this lesson you can";

    /// <summary>The intro of <paramref name="document"/>; a <see cref="FormatException"/> says what its first cell lacks.</summary>
    public static LessonIntro Read(NotebookDocument document) =>
        TryRead(document, out var intro, out var problem) ? intro : throw new FormatException($"The first cell does not follow the lessons' layout: {problem}.");

    /// <summary>Reads the intro, or says in <paramref name="problem"/> why the first cell does not follow the layout.</summary>
    public static bool TryRead(NotebookDocument document, [NotNullWhen(true)] out LessonIntro? intro, [NotNullWhen(false)] out string? problem)
    {
        intro = null;
        var first = document.Cells.FirstOrDefault();
        if (first is null || !first.IsMarkdown)
        {
            problem = "its first cell is not a markdown cell";
            return false;
        }
        var lines = first.Source.Replace("\r\n", "\n").Split('\n').Select(line => line.TrimEnd()).ToList();

        var title = TitleLine().Match(lines[0]);
        if (!title.Success)
        {
            problem = $"its first line is not a title '# Lesson NN · Title' but '{(lines[0].Length > 80 ? lines[0][..80] + "…" : lines[0])}'";
            return false;
        }

        var summaryStart = lines.FindIndex(1, line => line.Length > 0);
        if (summaryStart < 0 || !lines[summaryStart].StartsWith(SummaryLabel, StringComparison.Ordinal))
        {
            problem = $"the paragraph after its title does not start with '{SummaryLabel}'";
            return false;
        }
        var summary = string.Join(" ", lines.Skip(summaryStart).TakeWhile(line => line.Length > 0)).Substring(SummaryLabel.Length).Trim();
        if (summary.Length == 0)
        {
            problem = $"its '{SummaryLabel}' paragraph is empty";
            return false;
        }

        var lead = lines.FindIndex(line => line == GoalsLead);
        if (lead < 0)
        {
            problem = $"it has no line '{GoalsLead}'";
            return false;
        }
        var goals = new List<string>();
        foreach (var line in lines.Skip(lead + 1).SkipWhile(line => line.Length == 0))
        {
            if (line.StartsWith("- ", StringComparison.Ordinal) || line == "-")
            {
                goals.Add(line[1..].Trim());
            }
            else if (goals.Count > 0 && line.Length > 0 && char.IsWhiteSpace(line[0]))
            {
                goals[^1] = $"{goals[^1]} {line.Trim()}";    // an item continued on an indented line
            }
            else
            {
                break;
            }
        }
        if (goals.Count == 0)
        {
            problem = $"no '- ' list follows '{GoalsLead}'";
            return false;
        }
        var empty = goals.FindIndex(goal => goal.TrimEnd(';', '.').Trim().Length == 0);
        if (empty >= 0)
        {
            problem = $"its learning goal {empty + 1} is empty";
            return false;
        }

        intro = new LessonIntro(int.Parse(title.Groups["number"].Value), lines[0][2..].Trim(), summary, goals);
        problem = null;
        return true;
    }

    [GeneratedRegex(@"^# Lesson (?<number>\d{2}) · \S")]
    private static partial Regex TitleLine();
}
