using System.Net;
using System.Text;
using Course.Notebooks;

namespace Course.Site;

/// <summary>The contents page: every lesson with its number and title, its one-line summary and its learning goals; then
/// the repository's documents (README, docs/*.md) by title.</summary>
internal static class IndexPage
{
    public static string Render(IReadOnlyList<ExecutedNotebook> notebooks, IReadOnlyList<SiteDocument> documents, AssetLinks assets)
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
            if (LessonIntro.TryRead(notebook.Document, out var intro, out var problem))
            {
                body.Append($"\n<p class=\"summary\">{InlineHtml(intro.Summary)}</p>");
                body.Append($"\n<div class=\"goals\"><p class=\"goals-lead\">After this lesson you can</p>\n");
                body.Append(MarkdownRenderer.ToHtml(string.Join("\n", intro.Goals.Select(goal => "- " + goal))));
                body.Append("</div>");
            }
            else
            {
                // Said on the page, not hidden: a course lesson must never get here (its tests read every first cell).
                body.Append($"\n<p class=\"intro-missing\">No summary or learning goals: {WebUtility.HtmlEncode(problem)}.</p>");
            }
            body.Append("</li>\n");
        }
        body.Append("</ol>\n");
        if (documents.Count > 0)
        {
            body.Append("<h2>About the course</h2>\n<ul class=\"documents\">\n");
            foreach (var document in documents)
            {
                body.Append($"<li><a href=\"{WebUtility.HtmlEncode(document.PageName)}\">{InlineHtml(document.Title)}</a>");
                body.Append($" <span class=\"source\">({WebUtility.HtmlEncode(document.RepositoryPath)})</span></li>\n");
            }
            body.Append("</ul>\n");
        }
        return PageLayout.Page(PageLayout.CourseTitle, body.ToString(), assets);
    }

    /// <summary>One line of markdown as HTML without its paragraph element.</summary>
    internal static string InlineHtml(string markdown)
    {
        var html = MarkdownRenderer.ToHtml(markdown).Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal) ? html[3..^4] : html;
    }
}
