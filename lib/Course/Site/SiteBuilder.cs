using Course.Notebooks;

namespace Course.Site;

/// <summary>
/// Publishes executed notebooks as a static site: <c>index.html</c>, one page per notebook in order with
/// previous/next links, <c>style.css</c>, <c>site.js</c> and (when npm can fetch them) KaTeX and plotly.js
/// under <c>assets/</c>.
/// </summary>
public static class SiteBuilder
{
    /// <summary>Writes the site for <paramref name="notebooks"/> into <paramref name="siteDir"/>.</summary>
    /// <param name="notebooks">The lessons, in course order.</param>
    /// <param name="siteDir">The output folder; created if missing. Existing pages are overwritten.</param>
    /// <param name="log">Where a notice about CDN fallback goes; standard output when null.</param>
    /// <param name="fetchAssets">False skips npm and links KaTeX and plotly.js from the CDN.</param>
    public static void Build(IReadOnlyList<ExecutedNotebook> notebooks, string siteDir, TextWriter? log = null, bool fetchAssets = true)
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        ArgumentException.ThrowIfNullOrEmpty(siteDir);
        var duplicate = notebooks.GroupBy(LessonPage.FileName).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two notebooks would both be published as {duplicate.Key}: {string.Join(", ", duplicate.Select(n => n.SourcePath))}.", nameof(notebooks));
        }

        Directory.CreateDirectory(siteDir);
        var assets = fetchAssets ? SiteAssets.Prepare(siteDir, log ?? Console.Out) : AssetLinks.Cdn;
        File.WriteAllText(Path.Combine(siteDir, "style.css"), SiteStyle.Css + "\n");
        File.WriteAllText(Path.Combine(siteDir, "site.js"), SiteScript.Js + "\n");
        File.WriteAllText(Path.Combine(siteDir, "index.html"), IndexPage.Render(notebooks, assets));
        for (var i = 0; i < notebooks.Count; i++)
        {
            var previous = i > 0 ? notebooks[i - 1] : null;
            var next = i < notebooks.Count - 1 ? notebooks[i + 1] : null;
            File.WriteAllText(Path.Combine(siteDir, LessonPage.FileName(notebooks[i])), LessonPage.Render(notebooks[i], previous, next, assets));
        }
    }
}
