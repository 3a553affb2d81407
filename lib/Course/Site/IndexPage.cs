using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Course.Notebooks;

namespace Course.Site;

/// <summary>The contents page: every lesson with its title and learning goals.</summary>
internal static partial class IndexPage
{
    public static string Render(IReadOnlyList<ExecutedNotebook> notebooks, AssetLinks assets)
    {
        var body = new StringBuilder();
        body.Append($"<h1>{WebUtility.HtmlEncode(PageLayout.CourseTitle)}</h1>\n");
        body.Append("<p class=\"lead\">Lessons as C# notebooks, executed by the course runner. Each page shows the code and its outputs.</p>\n");
        body.Append("<ol class=\"lessons\">\n");
        foreach (var notebook in notebooks)
        {
            body.Append($"<li><a href=\"{WebUtility.HtmlEncode(LessonPage.FileName(notebook))}\">{WebUtility.HtmlEncode(LessonPage.Title(notebook))}</a>");
            if (!notebook.Succeeded)
            {
                body.Append(" <span class=\"badge failed\">error</span>");
            }
            if (LearningGoals(notebook.Document) is { } goals)
            {
                body.Append($"<div class=\"goals\">{MarkdownRenderer.ToHtml(goals)}</div>");
            }
            body.Append("</li>\n");
        }
        body.Append("</ol>\n");
        return PageLayout.Page(PageLayout.CourseTitle, body.ToString(), assets);
    }

    /// <summary>
    /// The notebook's learning goals as one markdown line: a line mentioning "learning goals" with text after it,
    /// or the list items following a "Learning goals" heading, joined by semicolons. Null when there are none.
    /// </summary>
    public static string? LearningGoals(NotebookDocument document)
    {
        var lines = document.Cells.Where(cell => cell.IsMarkdown).SelectMany(cell => cell.Source.Split('\n')).Select(line => line.Trim()).ToList();
        var index = lines.FindIndex(line => line.Contains("learning goals", StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            return null;
        }
        var sameLine = GoalsLabel().Replace(lines[index], "").Trim();
        if (sameLine.Length > 0)
        {
            return sameLine;
        }
        var items = lines.Skip(index + 1)
            .SkipWhile(line => line.Length == 0)
            .TakeWhile(line => ListItem().IsMatch(line))
            .Select(line => ListItem().Replace(line, "").TrimEnd('.', ';'))
            .ToList();
        return items.Count == 0 ? null : string.Join("; ", items) + ".";
    }

    /// <summary>Heading marks, emphasis and the words "learning goals" with their colon.</summary>
    [GeneratedRegex(@"^[#>\s]*(\*\*|__)?\s*learning goals\s*:?\s*(\*\*|__)?\s*:?", RegexOptions.IgnoreCase)]
    private static partial Regex GoalsLabel();

    [GeneratedRegex(@"^([-*+]|\d+[.)])\s+")]
    private static partial Regex ListItem();
}
