using Course.Notebooks;
using Course.Site;
using static Course.Tests.SiteTestNotebooks;

namespace Course.Tests;

/// <summary>A hostile notebook's markdown cannot script the site: raw HTML and link targets are sanitised as Jupyter does
/// for untrusted notebooks, and headless Chromium confirms nothing of it runs.</summary>
public sealed class HostileMarkdownTests
{
    /// <summary>Each line tries a different way in; every payload would set window.pwned if it ran.</summary>
    private const string Hostile = """
        # Hostile

        <script>window.pwned = "script block";</script>

        Inline <script>window.pwned = "inline script";</script> text.

        <img src="x" onerror="window.pwned = 'onerror'" alt="broken">

        <div onmouseover="window.pwned = 'handler'" style="background:url(javascript:window.pwned='style')">hover</div>

        <a href="javascript:window.pwned = 'href'">a link</a> and <a href=" JaVa	ScRiPt:window.pwned='obfuscated'">another</a>

        [markdown link](javascript:window.pwned='markdown') and ![image](javascript:window.pwned='image')

        <iframe src="data:text/html,<script>parent.pwned='iframe'</script>"></iframe>

        <svg><script>window.pwned = "svg"</script></svg><object data="javascript:window.pwned='object'"></object>

        <details open><summary>Safe HTML stays</summary>A <b>bold</b> answer and a <a href="https://example.org/">link</a>.</details>

        A stray Tensor<float> is shown as text.
        """;

    [Theory]
    [InlineData("<script>alert(1)</script>after", "after")]
    [InlineData("<img src=\"x\" onerror=\"alert(1)\">", "<img src=\"x\">")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"java\tscript:alert(1)\">x</a>", "<a>x</a>")]
    [InlineData("<a href=\"data:text/html,hi\">x</a>", "<a>x</a>")]
    [InlineData("<img src=\"data:image/png;base64,AAAA\">", "<img src=\"data:image/png;base64,AAAA\">")]
    [InlineData("<div style=\"color:red\" class=\"note\">x</div>", "<div class=\"note\">x</div>")]
    [InlineData("<details open><summary>S</summary>body</details>", "<details open><summary>S</summary>body</details>")]
    [InlineData("<iframe src=\"https://example.org\"></iframe>rest", "rest")]
    [InlineData("Tensor<float>", "Tensor&lt;float&gt;")]
    [InlineData("<a href=\"https://example.org/?a=1&amp;b=2\">x</a>", "<a href=\"https://example.org/?a=1&amp;b=2\">x</a>")]
    public void Sanitize_Fragment_KeepsOnlyTheSafeParts(string html, string expected) =>
        Assert.Equal(expected, HtmlSanitizer.Sanitize(html));

    [Fact]
    public void ToHtml_HostileMarkdown_HasNoScriptHandlerOrJavascriptUrl()
    {
        var html = MarkdownRenderer.ToHtml(Hostile);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onmouseover", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<details open><summary>Safe HTML stays</summary>", html);
        Assert.Contains("<a href=\"https://example.org/\">link</a>", html);
        Assert.Contains("Tensor&lt;float&gt;", html);
    }

    [BrowserFact]
    public async Task Site_HostileNotebook_NothingRunsInChromium()
    {
        var site = TestFolders.NewScratch("hostile-site");
        var document = PolyglotMetadata.NewDocument([Markdown("hostile", Hostile)]);
        var notebook = new ExecutedNotebook(Path.Combine(site, "00-hostile.ipynb"), document, [], TimeSpan.Zero);
        SiteBuilder.Build([notebook], site, new StringWriter());
        using var server = new BrowserStaticServer(site);
        await using var browser = await BrowserSession.StartAsync();
        await browser.NavigateAsync(server.BaseUrl + "00-hostile.html");
        // Give a broken image's onerror and any timers time to fire, and hover every element, before looking.
        var verdict = await browser.EvaluateAsync("""
            (async () => {
              for (const element of document.querySelectorAll("*")) element.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
              for (const link of document.querySelectorAll("a")) if (!link.href.startsWith("http")) link.click();
              await new Promise(resolve => setTimeout(resolve, 500));
              return JSON.stringify({ pwned: String(window.pwned), details: document.querySelectorAll("details").length });
            })()
            """);
        Assert.Equal("""{"pwned":"undefined","details":1}""", verdict);
    }
}
