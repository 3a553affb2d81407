using System.Text;

namespace Course.Site;

/// <summary>A repository markdown file (README, a page under docs/) as a site page, its links pointing to published pages.</summary>
internal static class DocumentPage
{
    /// <summary>
    /// The page of <paramref name="document"/>. <paramref name="publishedPages"/> maps a repository path
    /// (<c>docs/results.md</c>, <c>notebooks/04-autoregressive-models.ipynb</c>) to its page on the site.
    /// </summary>
    public static string Render(SiteDocument document, IReadOnlyDictionary<string, string> publishedPages, AssetLinks assets)
    {
        var body = new StringBuilder();
        body.Append("<nav class=\"pager top\"><span></span><a href=\"index.html\">Contents</a><span></span></nav>\n");
        body.Append("<article class=\"document\">\n");
        body.Append(MarkdownRenderer.ToHtml(document.Markdown, url => PublishedLink(url, document.RepositoryPath, publishedPages)));
        body.Append("</article>\n");
        return PageLayout.Page($"{document.Title} · {PageLayout.CourseTitle}", body.ToString(), assets);
    }

    /// <summary>
    /// <paramref name="url"/> as written in the file at <paramref name="fromPath"/>, pointed at the site's page when it names a
    /// published file relative to that file (its fragment kept); any other link as it was.
    /// </summary>
    internal static string PublishedLink(string url, string fromPath, IReadOnlyDictionary<string, string> publishedPages)
    {
        var target = ResolveRelative(url, fromPath);
        if (target is null) return url;
        var hash = url.IndexOf('#');
        return publishedPages.TryGetValue(target, out var page) ? page + (hash >= 0 ? url[hash..] : "") : url;
    }

    /// <summary>
    /// The repository path a relative link in the file at <paramref name="fromPath"/> names (<c>../README.md</c> from
    /// <c>docs/results.md</c> is <c>README.md</c>), or null for an absolute URL, a fragment alone, or a path above the root.
    /// </summary>
    internal static string? ResolveRelative(string url, string fromPath)
    {
        if (url.Length == 0 || url[0] is '#' or '/' or '\\' || url.Contains(':', StringComparison.Ordinal)) return null;
        var path = url.Split('#', '?')[0];
        if (path.Length == 0) return null;
        var parts = new List<string>(fromPath.Split('/')[..^1]);
        foreach (var part in Uri.UnescapeDataString(path).Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
