using System.Text.RegularExpressions;

namespace Course.Site;

/// <summary>
/// A markdown page of the repository that the site publishes beside the lessons: README.md, or a page under docs/.
/// </summary>
/// <param name="RepositoryPath">The file's path from the repository root, with forward slashes: <c>README.md</c>, <c>docs/results.md</c>.</param>
/// <param name="Markdown">The file's text.</param>
public sealed partial record SiteDocument(string RepositoryPath, string Markdown)
{
    /// <summary>The folder of the repository whose markdown files the site publishes, besides README.md.</summary>
    public const string DocsFolder = "docs";

    /// <summary>The page's file name on the site: <c>readme.html</c> for README.md, <c>results.html</c> for docs/results.md.</summary>
    public string PageName => Path.GetFileNameWithoutExtension(RepositoryPath).ToLowerInvariant() + ".html";

    /// <summary>The text of the file's first level-1 heading (without a closing run of <c>#</c>, as CommonMark reads it), or its file name.</summary>
    public string Title => FirstHeading().Match(Markdown) is { Success: true } heading ? heading.Groups["title"].Value.Trim() : Path.GetFileName(RepositoryPath);

    /// <summary>README.md (when there is one) and every <c>docs/*.md</c> of the repository at <paramref name="root"/>, in name order.</summary>
    public static IReadOnlyList<SiteDocument> FromRepository(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var documents = new List<SiteDocument>();
        var readme = Path.Combine(root, "README.md");
        if (File.Exists(readme)) documents.Add(new SiteDocument("README.md", File.ReadAllText(readme)));
        var docs = Path.Combine(root, DocsFolder);
        if (Directory.Exists(docs))
        {
            documents.AddRange(Directory.EnumerateFiles(docs, "*.md").Order(StringComparer.Ordinal)
                .Select(path => new SiteDocument($"{DocsFolder}/{Path.GetFileName(path)}", File.ReadAllText(path))));
        }
        return documents;
    }

    [GeneratedRegex(@"^#[ \t]+(?<title>.+?)(?:[ \t]+#+)?[ \t]*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FirstHeading();
}
