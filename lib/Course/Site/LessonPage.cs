using System.Net;
using System.Text;
using Course.Notebooks;

namespace Course.Site;

/// <summary>One executed notebook as a page: markdown rendered, code with its outputs, links to its neighbours.</summary>
internal static class LessonPage
{
    /// <summary>The file name of a notebook's page, e.g. <c>01-generative-models.html</c>.</summary>
    public static string FileName(ExecutedNotebook notebook) => notebook.Name + ".html";

    /// <summary>The page of <paramref name="notebook"/> with links to <paramref name="previous"/> and <paramref name="next"/>.</summary>
    /// <param name="publishedPages">A repository path (<c>docs/results.md</c>, <c>notebooks/06-maximum-likelihood.ipynb</c>) and its page
    /// on the site: a markdown cell's link to one, relative to the lesson in <c>notebooks/</c>, points to that page.</param>
    public static string Render(ExecutedNotebook notebook, ExecutedNotebook? previous, ExecutedNotebook? next, AssetLinks assets,
        IReadOnlyDictionary<string, string> publishedPages)
    {
        var repositoryPath = $"notebooks/{notebook.Name}.ipynb";
        // A link to a lesson left out of this build (run of some lessons) still points at the page it would have.
        string RewriteLink(string url)
        {
            var published = DocumentPage.PublishedLink(url, repositoryPath, publishedPages);
            return published != url ? published : MarkdownRenderer.SiblingNotebookPage(url);
        }
        var body = new StringBuilder();
        body.Append(Pager(previous, next, "pager top")).Append('\n');
        body.Append("<article class=\"lesson\">\n");
        if (!notebook.Succeeded)
        {
            var failed = notebook.FirstProblem;
            body.Append($"<p class=\"run-failed\">This notebook stopped with an error{(failed is null ? "" : $" in cell {failed.CellNumber}")}; later cells were not run.</p>\n");
        }
        foreach (var cell in notebook.Document.Cells)
        {
            if (cell.IsMarkdown)
            {
                body.Append($"<section class=\"cell markdown\">{MarkdownRenderer.ToHtml(cell.Source, RewriteLink)}</section>\n");
            }
            else if (cell.IsCode)
            {
                body.Append("<section class=\"cell code\">");
                body.Append($"<pre class=\"source\"><code class=\"language-csharp\">{WebUtility.HtmlEncode(cell.Source)}</code></pre>");
                foreach (var output in cell.Outputs)
                {
                    OutputRenderer.Write(body, output);
                }
                body.Append("</section>\n");
            }
        }
        body.Append("</article>\n");
        body.Append(Pager(previous, next, "pager"));
        return PageLayout.Page($"{Title(notebook)} · {PageLayout.CourseTitle}", body.ToString(), assets);
    }

    /// <summary>The notebook's first heading, or its file name.</summary>
    public static string Title(ExecutedNotebook notebook) => notebook.Document.Title ?? notebook.Name;

    /// <summary>Links to the previous lesson, the contents and the next lesson, each titled; at the top and the foot of a page.</summary>
    private static string Pager(ExecutedNotebook? previous, ExecutedNotebook? next, string cssClass)
    {
        string Link(ExecutedNotebook? target, string rel, string arrow) => target is null
            ? "<span></span>"
            : $"<a rel=\"{rel}\" href=\"{WebUtility.HtmlEncode(FileName(target))}\">{(rel == "prev" ? arrow + " " : "")}{WebUtility.HtmlEncode(Title(target))}{(rel == "next" ? " " + arrow : "")}</a>";
        return $"<nav class=\"{cssClass}\">{Link(previous, "prev", "←")}<a href=\"index.html\">Contents</a>{Link(next, "next", "→")}</nav>";
    }
}
