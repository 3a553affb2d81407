using System.Net;
using System.Text.RegularExpressions;
using Course.Site;
using static Course.Tests.SiteTestNotebooks;

namespace Course.Tests;

/// <summary>README and the pages under docs/ on the site: one page each, listed on the contents page, links that work.</summary>
public sealed partial class SiteDocumentTests
{
    private static readonly SiteDocument Readme = new("README.md",
        "# The course\n\nSee [the results](docs/results.md), [a table](docs/results.md#nll), [lesson 01](notebooks/01-first.ipynb), " +
        "[the SDK](https://dotnet.microsoft.com/download), [the licence](LICENSE) and [this part](#the-course).\n");

    private static readonly SiteDocument Results = new("docs/results.md",
        "# Results\n\n[← Back to the README](../README.md)\n\n## NLL\n\nLesson [01](../notebooks/01-first.ipynb) and [02](../notebooks/02-second.ipynb#end); " +
        "[performance](performance.md) is not published here.\n");

    private static (string Folder, string Index) BuildWithDocuments()
    {
        var folder = TestFolders.NewScratch("site-docs");
        SiteBuilder.Build([Lesson("01-first", "Lesson 01 · First"), Lesson("02-second", "Lesson 02 · Second")], folder,
            fetchAssets: false, documents: [Readme, Results]);
        return (folder, File.ReadAllText(Path.Combine(folder, "index.html")));
    }

    [Fact]
    public void Build_WithDocuments_WritesAPageForEachAndListsThemOnTheIndexByTitle()
    {
        var (folder, index) = BuildWithDocuments();
        Assert.True(File.Exists(Path.Combine(folder, "readme.html")));
        Assert.True(File.Exists(Path.Combine(folder, "results.html")));
        Assert.Contains("<li><a href=\"readme.html\">The course</a> <span class=\"source\">(README.md)</span></li>", index);
        Assert.Contains("<li><a href=\"results.html\">Results</a> <span class=\"source\">(docs/results.md)</span></li>", index);
        Assert.True(index.IndexOf("02-second.html", StringComparison.Ordinal) < index.IndexOf("readme.html", StringComparison.Ordinal),
            "the documents come after the lessons");
        var page = WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "results.html")));
        Assert.Contains("<title>Results · ", page);
        Assert.Contains("<a href=\"index.html\">Contents</a>", page);
    }

    [Fact]
    public void Build_DocumentLinks_PointToPublishedPagesAndKeepTheRest()
    {
        var (folder, _) = BuildWithDocuments();
        var readme = File.ReadAllText(Path.Combine(folder, "readme.html"));
        Assert.Contains("<a href=\"results.html\">the results</a>", readme);
        Assert.Contains("<a href=\"results.html#nll\">a table</a>", readme);
        Assert.Contains("<a href=\"01-first.html\">lesson 01</a>", readme);
        Assert.Contains("<a href=\"https://dotnet.microsoft.com/download\">the SDK</a>", readme);
        Assert.Contains("<a href=\"LICENSE\">the licence</a>", readme);    // not a page: left as written, which the repository test forbids
        Assert.Contains("<a href=\"#the-course\">this part</a>", readme);
        var results = WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "results.html")));
        Assert.Contains("<a href=\"readme.html\">← Back to the README</a>", results);
        Assert.Contains("<a href=\"01-first.html\">01</a>", results);
        Assert.Contains("<a href=\"02-second.html#end\">02</a>", results);
        Assert.Contains("<a href=\"performance.md\">performance</a>", results);
    }

    [Fact]
    public void Build_LessonLinksToDocumentsAndLessons_PointToTheirPages()
    {
        var folder = TestFolders.NewScratch("site-docs");
        var lesson = Executed("03-linking", Markdown("links",
            "# Lesson 03 · Linking\n\n[The results](../docs/results.md#nll), [the README](../README.md), [lesson 01](01-first.ipynb), " +
            "[lesson 06](06-not-built.ipynb#kl), [the same lesson 01](../notebooks/01-first.ipynb), [a source file](../lib/Model.cs).\n"));
        SiteBuilder.Build([Lesson("01-first", "Lesson 01 · First"), lesson], folder, fetchAssets: false, documents: [Readme, Results]);
        var page = File.ReadAllText(Path.Combine(folder, "03-linking.html"));
        Assert.Contains("<a href=\"results.html#nll\">The results</a>", page);
        Assert.Contains("<a href=\"readme.html\">the README</a>", page);
        Assert.Contains("<a href=\"01-first.html\">lesson 01</a>", page);
        Assert.Contains("<a href=\"06-not-built.html#kl\">lesson 06</a>", page);    // a sibling lesson not in this build keeps its page's name
        Assert.Contains("<a href=\"01-first.html\">the same lesson 01</a>", page);
        Assert.Contains("<a href=\"../lib/Model.cs\">a source file</a>", page);
    }

    [Theory]
    [InlineData("../README.md", "docs/results.md", "README.md")]
    [InlineData("performance.md#top", "docs/results.md", "docs/performance.md")]
    [InlineData("./docs/../notebooks/01%20a.ipynb", "README.md", "notebooks/01 a.ipynb")]
    [InlineData("../../outside.md", "docs/results.md", null)]
    [InlineData("https://example.org/a.md", "README.md", null)]
    [InlineData("mailto:someone@example.org", "README.md", null)]
    [InlineData("#section", "README.md", null)]
    [InlineData("/README.md", "docs/results.md", null)]
    public void DocumentPage_ResolveRelative_NamesTheRepositoryFile(string url, string from, string? expected) =>
        Assert.Equal(expected, DocumentPage.ResolveRelative(url, from));

    [Fact]
    public void Build_DocumentPublishedUnderALessonsName_Throws()
    {
        var clash = new SiteDocument("docs/01-first.md", "# Clash\n");
        var error = Assert.Throws<ArgumentException>(() =>
            SiteBuilder.Build([Lesson("01-first", "Lesson 01 · First")], TestFolders.NewScratch("site-docs"), fetchAssets: false, documents: [clash]));
        Assert.Contains("01-first.html", error.Message);
        Assert.Contains("docs/01-first.md", error.Message);
    }

    [Fact]
    public void FromRepository_ReadsReadmeThenEveryDocsPageInNameOrder()
    {
        var root = TestFolders.NewScratch("repo-docs");
        File.WriteAllText(Path.Combine(root, "README.md"), "# Front door in C#\n");
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        File.WriteAllText(Path.Combine(root, "docs", "results.md"), "Intro first.\n\n# Results ##\n");
        File.WriteAllText(Path.Combine(root, "docs", "command-line.md"), "no heading\n");
        File.WriteAllText(Path.Combine(root, "docs", "notes.txt"), "not markdown\n");
        var documents = SiteDocument.FromRepository(root);
        Assert.Equal(["README.md", "docs/command-line.md", "docs/results.md"], documents.Select(d => d.RepositoryPath));
        Assert.Equal(["Front door in C#", "command-line.md", "Results"], documents.Select(d => d.Title));
        Assert.Equal(["readme.html", "command-line.html", "results.html"], documents.Select(d => d.PageName));
    }

    // The repository's own README and docs/ pages.

    private static string[] RepositoryDocsFiles() =>
        [.. Directory.EnumerateFiles(Path.Combine(TestFolders.RepositoryRoot, SiteDocument.DocsFolder), "*.md").Order(StringComparer.Ordinal)];

    [Fact]
    public void Repository_EveryRelativeLinkInReadmeAndDocs_NamesAnExistingFile()
    {
        var documents = SiteDocument.FromRepository(TestFolders.RepositoryRoot);
        Assert.Contains(documents, d => d.RepositoryPath == "README.md");
        Assert.NotEmpty(RepositoryDocsFiles());
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var document in documents)
        {
            foreach (var url in MarkdownRenderer.LinkTargets(document.Markdown))
            {
                if (url.StartsWith('/')) { broken.Add($"{document.RepositoryPath}: {url} (a path from the root works on no viewer; write it relative)"); continue; }
                var target = DocumentPage.ResolveRelative(url, document.RepositoryPath);
                if (target is null)
                {
                    if (url.Contains("..", StringComparison.Ordinal) && !url.Contains(':', StringComparison.Ordinal)) broken.Add($"{document.RepositoryPath}: {url} (leaves the repository)");
                    continue;    // an absolute URL or a fragment alone
                }
                checkedLinks++;
                var path = Path.Combine(TestFolders.RepositoryRoot, target);
                if (!File.Exists(path) && !Directory.Exists(path)) broken.Add($"{document.RepositoryPath}: {url} (no {target})");
            }
        }
        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join("\n", broken));
        Assert.True(checkedLinks >= 2 * RepositoryDocsFiles().Length, $"only {checkedLinks} relative links checked");
    }

    [Fact]
    public void Repository_EveryDocsPage_LinksBackToReadmeAndIsLinkedFromIt()
    {
        var readmeLinks = MarkdownRenderer.LinkTargets(File.ReadAllText(Path.Combine(TestFolders.RepositoryRoot, "README.md")))
            .Select(url => DocumentPage.ResolveRelative(url, "README.md")).ToHashSet();
        foreach (var file in RepositoryDocsFiles())
        {
            var repositoryPath = $"{SiteDocument.DocsFolder}/{Path.GetFileName(file)}";
            Assert.True(readmeLinks.Contains(repositoryPath), $"README does not link {repositoryPath}");
            var links = MarkdownRenderer.LinkTargets(File.ReadAllText(file)).Select(url => DocumentPage.ResolveRelative(url, repositoryPath));
            Assert.True(links.Contains("README.md"), $"{repositoryPath} has no link back to README.md");
        }
    }

    private static readonly Lazy<string> RepositorySite = new(() =>
    {
        var folder = TestFolders.NewScratch("repository-site");
        SiteBuilder.Build([.. StoredLessons()], folder, fetchAssets: false, documents: SiteDocument.FromRepository(TestFolders.RepositoryRoot));
        return folder;
    });

    [Fact]
    public void Repository_Site_HasAPagePerDocsFileLinkedFromTheIndex()
    {
        var site = RepositorySite.Value;
        var index = File.ReadAllText(Path.Combine(site, "index.html"));
        foreach (var page in RepositoryDocsFiles().Select(file => Path.GetFileNameWithoutExtension(file) + ".html").Prepend("readme.html"))
        {
            Assert.True(File.Exists(Path.Combine(site, page)), $"the site has no {page}");
            Assert.Contains($"<a href=\"{page}\">", index);
        }
    }

    [Fact]
    public void Repository_Site_EveryLinkResolvesToAGeneratedFile()
    {
        var site = RepositorySite.Value;
        var pages = Directory.EnumerateFiles(site, "*.html").ToList();
        Assert.True(pages.Count > RepositoryDocsFiles().Length + 1, "the site has no lesson pages");
        var broken = new List<string>();
        foreach (var page in pages)
        {
            foreach (Match match in LinkAttribute().Matches(File.ReadAllText(page)))
            {
                var url = WebUtility.HtmlDecode(match.Groups["url"].Value);
                if (url.Length == 0 || url.StartsWith('#') || url.StartsWith("data:", StringComparison.Ordinal) || SchemeOrHost().IsMatch(url)) continue;
                var path = url.Split('#', '?')[0];
                if (!File.Exists(Path.Combine(site, Uri.UnescapeDataString(path)))) broken.Add($"{Path.GetFileName(page)}: {url}");
            }
        }
        Assert.True(broken.Count == 0, "Links to no generated file:\n" + string.Join("\n", broken.Distinct()));
    }

    [Fact]
    public async Task Process_RunInsideTheRepository_PublishesReadmeAndEveryDocsPage()
    {
        var folder = TestFolders.NewScratch("cli-docs");
        var notebook = Path.Combine(folder, "01-tiny.ipynb");
        Course.Notebooks.NotebookWriter.Write(TestNotebooks.FromCode("1 + 1"), notebook);
        var output = Path.Combine(folder, "out");

        var (exitCode, stdout, stderr) = await CourseProcess.RunAsync(TestFolders.RepositoryRoot, "run", notebook, "--out", output);

        Assert.True(exitCode == 0, stdout + stderr);
        var site = Path.Combine(output, "site");
        Assert.All(RepositoryDocsFiles().Select(file => Path.GetFileNameWithoutExtension(file) + ".html").Prepend("readme.html"),
            page => Assert.True(File.Exists(Path.Combine(site, page)), $"the site has no {page}"));
    }

    [GeneratedRegex(@"\b(?:href|src)\s*=\s*""(?<url>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex LinkAttribute();

    [GeneratedRegex(@"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)", RegexOptions.CultureInvariant)]
    private static partial Regex SchemeOrHost();
}
