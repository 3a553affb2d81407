using Course.Notebooks;

namespace Course.Site;

/// <summary>
/// Publishes executed notebooks as a static site: <c>index.html</c>, one page per notebook in order with
/// previous/next links, one page per repository document (README, docs/*.md), <c>style.css</c>, <c>site.js</c> and
/// (when npm can fetch them) KaTeX and plotly.js under <c>assets/</c>.
/// </summary>
public static class SiteBuilder
{
    /// <summary>Writes the site for <paramref name="notebooks"/> into <paramref name="siteDir"/>.</summary>
    /// <param name="notebooks">The lessons, in course order.</param>
    /// <param name="siteDir">The output folder; created if missing. Existing pages are overwritten.</param>
    /// <param name="log">Where a notice about CDN fallback goes; standard output when null.</param>
    /// <param name="fetchAssets">False skips npm and links KaTeX and plotly.js from the CDN.</param>
    /// <param name="documents">Markdown files of the repository to publish beside the lessons and list on the contents page
    /// (<see cref="SiteDocument.FromRepository"/>). Their links, and the lessons' (a lesson is <c>notebooks/NN-name.ipynb</c>),
    /// to each other point to the published pages.</param>
    public static void Build(IReadOnlyList<ExecutedNotebook> notebooks, string siteDir, TextWriter? log = null, bool fetchAssets = true,
        IReadOnlyList<SiteDocument>? documents = null)
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        ArgumentException.ThrowIfNullOrEmpty(siteDir);
        documents ??= [];
        var pageSources = notebooks.Select(n => (Page: LessonPage.FileName(n), Source: n.SourcePath))
            .Concat(documents.Select(d => (Page: d.PageName, Source: d.RepositoryPath)))
            .Append((Page: "index.html", Source: "the contents page"));
        var duplicate = pageSources.GroupBy(page => page.Page, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two sources would both be published as {duplicate.Key}: {string.Join(", ", duplicate.Select(p => p.Source))}.",
                duplicate.Any(p => documents.Any(d => d.RepositoryPath == p.Source)) ? nameof(documents) : nameof(notebooks));
        }

        Directory.CreateDirectory(siteDir);
        var assets = fetchAssets ? SiteAssets.Prepare(siteDir, log ?? Console.Out) : AssetLinks.Cdn;
        File.WriteAllText(Path.Combine(siteDir, "style.css"), SiteStyle.Css + "\n");
        File.WriteAllText(Path.Combine(siteDir, "site.js"), SiteScript.Js + "\n");
        File.WriteAllText(Path.Combine(siteDir, "index.html"), IndexPage.Render(notebooks, documents, assets));
        var publishedPages = PublishedPages(notebooks, documents);
        for (var i = 0; i < notebooks.Count; i++)
        {
            var previous = i > 0 ? notebooks[i - 1] : null;
            var next = i < notebooks.Count - 1 ? notebooks[i + 1] : null;
            File.WriteAllText(Path.Combine(siteDir, LessonPage.FileName(notebooks[i])), LessonPage.Render(notebooks[i], previous, next, assets, publishedPages));
        }
        foreach (var document in documents)
        {
            File.WriteAllText(Path.Combine(siteDir, document.PageName), DocumentPage.Render(document, publishedPages, assets));
        }
    }

    /// <summary>Each published source's repository path (lessons under <c>notebooks/</c>) and its page on the site.</summary>
    private static Dictionary<string, string> PublishedPages(IReadOnlyList<ExecutedNotebook> notebooks, IReadOnlyList<SiteDocument> documents)
    {
        var pages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var notebook in notebooks) pages[$"notebooks/{notebook.Name}.ipynb"] = LessonPage.FileName(notebook);
        foreach (var document in documents) pages[document.RepositoryPath] = document.PageName;
        return pages;
    }
}
