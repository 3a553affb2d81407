using System.Net;
using System.Text.RegularExpressions;
using Course.Notebooks;
using Course.Site;
using static Course.Tests.SiteTestNotebooks;

namespace Course.Tests;

public sealed class SiteBuilderTests
{
    private static (string Folder, string Index, string Page) BuildTwoLessons()
    {
        var folder = TestFolders.NewScratch("site");
        SiteBuilder.Build([Lesson("01-first", "Lesson 01 · First"), Lesson("02-second", "Lesson 02 · Second")], folder, fetchAssets: false);
        return (folder, File.ReadAllText(Path.Combine(folder, "index.html")), File.ReadAllText(Path.Combine(folder, "01-first.html")));
    }

    [Fact]
    public void Build_TwoNotebooks_WritesIndexPagesStyleAndScript()
    {
        var (folder, _, _) = BuildTwoLessons();
        Assert.All(["index.html", "01-first.html", "02-second.html", "style.css", "site.js"],
            file => Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing"));
    }

    [Fact]
    public void Build_Index_ListsLessonsWithTitlesSummariesAndGoalsInOrder()
    {
        var index = WebUtility.HtmlDecode(BuildTwoLessons().Index);    // '·' is written as &#183;
        var first = index.IndexOf("<a href=\"01-first.html\">Lesson 01 · First</a>", StringComparison.Ordinal);
        var second = index.IndexOf("<a href=\"02-second.html\">Lesson 02 · Second</a>", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, index);
        Assert.Contains("<p class=\"summary\">Densities, <strong>exactly</strong>.</p>", index);
        Assert.Contains("<li>tell <span class=\"math\">$p(x)$</span> from <span class=\"math\">$p(y \\mid x)$</span>;</li>", index);
        Assert.Contains("<li>sample a model.</li>", index);
    }

    [Fact]
    public void Build_Index_ShowsNoRawMarkdownOrProse()
    {
        var (_, index, _) = BuildTwoLessons();
        var main = index[index.IndexOf("<main>", StringComparison.Ordinal)..index.IndexOf("</main>", StringComparison.Ordinal)];
        Assert.DoesNotContain("**", main);
        Assert.DoesNotContain("Learning goals", main);
        Assert.DoesNotContain("Some prose", main);    // only the summary and the goals, not the rest of the cell
        Assert.DoesNotContain("\\log p(x) = ", main);
    }

    [Fact]
    public void Build_Index_LessonOutsideTheLayout_SaysWhatIsMissing()
    {
        var folder = TestFolders.NewScratch("site");
        var plain = Executed("01-plain", Markdown("title", "# Lesson 01 · Plain\n\nNo summary here.\n"));
        SiteBuilder.Build([plain], folder, fetchAssets: false);
        var index = File.ReadAllText(Path.Combine(folder, "index.html"));
        Assert.Contains("<p class=\"intro-missing\">No summary or learning goals: the paragraph after its title does not start with", index);
    }

    [Fact]
    public void Build_Page_KeepsMathDelimitersAndTexIntact()
    {
        var (_, _, page) = BuildTwoLessons();
        // Underscores inside math must not turn into emphasis, and the delimiters stay for KaTeX.
        Assert.Contains("<span class=\"math\">$p_\\theta(x_1, x_2)$</span>", page);
        Assert.Contains("<div class=\"math\">$$\n\\log p(x) = \\sum_i \\log p(x_i \\mid x_{&lt;i})\n$$</div>", page);
        Assert.DoesNotContain("<em>", page);
    }

    [Fact]
    public void MarkdownRenderer_BulletStartingWithAnInitial_StaysOnePlainBullet()
    {
        var html = MarkdownRenderer.ToHtml("- K. P. Murphy, *Probabilistic Machine Learning*.\n- D. P. Kingma and M. Welling, 2013.");
        Assert.DoesNotContain("<ol", html);
        Assert.Contains("<li>K. P. Murphy, <em>Probabilistic Machine Learning</em>.</li>", html);
        Assert.Equal(2, Regex.Matches(html, "<li>").Count);
    }

    [Fact]
    public void MarkdownRenderer_LinkToASiblingNotebook_PointsToItsPage()
    {
        var html = MarkdownRenderer.ToHtml(
            "[lesson 06](06-maximum-likelihood.ipynb), [section](06-maximum-likelihood.ipynb#kl-intro), " +
            "[elsewhere](https://example.org/a.ipynb), [folder](../notebooks/06-maximum-likelihood.ipynb)");
        Assert.Contains("<a href=\"06-maximum-likelihood.html\">lesson 06</a>", html);
        Assert.Contains("<a href=\"06-maximum-likelihood.html#kl-intro\">section</a>", html);
        Assert.Contains("<a href=\"https://example.org/a.ipynb\">elsewhere</a>", html);
        Assert.Contains("<a href=\"../notebooks/06-maximum-likelihood.ipynb\">folder</a>", html);
    }

    [Fact]
    public void Build_Page_EmbedsHtmlOutputAsIs()
    {
        var (_, _, page) = BuildTwoLessons();
        Assert.Contains("<div class=\"gen-figure\"><svg width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg></div>", page);
        Assert.DoesNotContain(">Figure<", page); // text/plain is not shown when there is HTML
    }

    [Fact]
    public void Build_Page_EscapesPlainTextStreamsSourceAndErrors()
    {
        var (_, _, page) = BuildTwoLessons();
        Assert.Contains("<pre class=\"output plain\">List&lt;int&gt; &lt;&amp; &quot;quoted&quot;&gt;</pre>", page);
        Assert.Contains("<pre class=\"output stream stdout\">a &lt; b\n</pre>", page);
        Assert.Contains("Console.WriteLine(&quot;a &lt; b&quot;);", page);
        Assert.Contains("<pre class=\"output error\"><strong>System.Exception</strong>: boom &lt;here&gt;\nat cell 4, line 1</pre>", page);
    }

    [Fact]
    public void Build_Pages_LinkToPreviousAndNextByTitleAtTopAndFoot()
    {
        var (folder, _, firstHtml) = BuildTwoLessons();
        var first = WebUtility.HtmlDecode(firstHtml);    // '·' is written as &#183;
        var second = WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "02-second.html")));
        Assert.Equal(2, Regex.Matches(first, "<a rel=\"next\" href=\"02-second.html\">Lesson 02 · Second →</a>").Count);
        Assert.DoesNotContain("rel=\"prev\"", first);
        Assert.Equal(2, Regex.Matches(second, "<a rel=\"prev\" href=\"01-first.html\">← Lesson 01 · First</a>").Count);
        Assert.DoesNotContain("rel=\"next\"", second);
        Assert.True(first.IndexOf("<nav class=\"pager top\">", StringComparison.Ordinal) < first.IndexOf("<article", StringComparison.Ordinal), first);
    }

    [Fact]
    public void Build_WithoutFetchingAssets_LinksPinnedCdnVersions()
    {
        var (_, index, _) = BuildTwoLessons();
        Assert.Contains("https://cdn.jsdelivr.net/npm/katex@0.19.1/dist/katex.min.js", index);
        Assert.Contains("https://cdn.jsdelivr.net/npm/plotly.js-dist-min@4.1.2/plotly.min.js", index);
    }

    [Fact]
    public void Build_FailedNotebook_IsFlaggedOnIndexAndPage()
    {
        var folder = TestFolders.NewScratch("site");
        var lesson = Lesson("01-broken", "Lesson 01 · Broken");
        var failed = lesson with { CellRuns = [.. lesson.CellRuns.Take(1), new CellRun(2, 3, CellStatus.Failed, TimeSpan.Zero)] };
        SiteBuilder.Build([failed], folder, fetchAssets: false);
        Assert.Contains("badge failed", File.ReadAllText(Path.Combine(folder, "index.html")));
        Assert.Contains("stopped with an error in cell 3", File.ReadAllText(Path.Combine(folder, "01-broken.html")));
    }

    [Fact]
    public void Build_SameNameTwice_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => SiteBuilder.Build([Lesson("a", "A"), Lesson("a", "B")], TestFolders.NewScratch("site"), fetchAssets: false));
        Assert.Contains("a.html", error.Message);
    }
}
