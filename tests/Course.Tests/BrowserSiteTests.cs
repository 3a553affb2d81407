using System.Text.Json;
using Course.Execution;
using Course.Notebooks;
using Course.Site;

namespace Course.Tests;

/// <summary>A fact that needs /usr/bin/chromium and npm: skipped with the reason where they are missing, failed when CI requires them.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Prerequisites.Required && BrowserSiteTests.BrowserPrerequisiteMissing() is { } reason) Skip = reason;
    }
}

/// <summary>
/// Opens the built site in headless Chromium and checks what a reader sees: no script errors, every figure drawn
/// (its SVG or plotly.js's), every sample image decoded, and KaTeX typesetting all math.
/// </summary>
public sealed class BrowserSiteTests
{
    /// <summary>Why the test cannot run, or null.</summary>
    public static string? BrowserPrerequisiteMissing() =>
        BrowserSession.ChromiumMissing()
        ?? (Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, "npm"))) == true
            ? null
            : "npm is missing: the browser test needs it to fetch KaTeX and plotly.js into the site (install Node.js and npm).");

    /// <summary>Runs in the page once it has loaded: waits for plotly.js to finish, then reports what is wrong.</summary>
    private const string InspectPage = """
        (async () => {
          const figures = [...document.querySelectorAll(".gen-figure")];
          for (let waited = 0; window.Plotly && waited < 5000 && figures.some(f => !f.classList.contains("interactive")); waited += 100)
            await new Promise(resolve => setTimeout(resolve, 100));
          const problems = [];
          figures.forEach((figure, i) => {
            const drawn = [...figure.querySelectorAll("svg")].some(svg => {
              const box = svg.getBoundingClientRect();
              return box.width > 0 && box.height > 0 && svg.querySelectorAll("path, circle, rect, image, line").length > 0;
            });
            if (!drawn) problems.push(`figure ${i} has no visible drawing`);
          });
          const images = [...document.querySelectorAll("img.gen-image")];
          images.forEach((image, i) => { if (!image.complete || image.naturalWidth === 0) problems.push(`image ${i} did not load`); });
          const math = document.querySelectorAll(".math").length;
          const katex = document.querySelectorAll(".katex").length;
          if (math > 0 && katex === 0) problems.push(`${math} formulas but KaTeX rendered none`);
          if (document.querySelectorAll(".katex-error").length > 0) problems.push("KaTeX reported a TeX error");
          for (const cell of document.querySelectorAll(".cell.markdown"))
            if (cell.innerText.includes("$$")) problems.push("raw $$ left in: " + cell.innerText.slice(0, 80));
          return JSON.stringify({ problems, figures: figures.length, interactive: document.querySelectorAll(".gen-figure.interactive").length, images: images.length, math, katex });
        })()
        """;

    [BrowserFact]
    public async Task Site_EveryPage_RendersFiguresImagesAndMathWithoutErrors()
    {
        var site = TestFolders.NewScratch("browser-site");
        var notebooks = new List<ExecutedNotebook> { await RunSyntheticLessonAsync(site) };
        notebooks.AddRange(SiteTestNotebooks.StoredLessons());
        var documents = SiteDocument.FromRepository(TestFolders.RepositoryRoot);
        var notices = new StringWriter();
        SiteBuilder.Build(notebooks, site, notices, documents: documents);
        Assert.True(File.Exists(Path.Combine(site, "assets", "katex", "katex.min.js")),
            $"KaTeX and plotly.js were not copied into the site, so the browser cannot load them offline: {notices}");

        using var server = new BrowserStaticServer(site);
        await using var browser = await BrowserSession.StartAsync();
        var pages = new[] { "index.html" }.Concat(notebooks.Select(n => n.Name + ".html")).Concat(documents.Select(d => d.PageName));
        var report = new List<string>();
        foreach (var page in pages)
        {
            await browser.NavigateAsync(server.BaseUrl + page);
            var result = JsonDocument.Parse(await browser.EvaluateAsync(InspectPage)).RootElement;
            report.AddRange(result.GetProperty("problems").EnumerateArray().Select(problem => $"{page}: {problem.GetString()}"));
            if (page == "00-browser-check.html")
            {
                Assert.Equal(2, result.GetProperty("figures").GetInt32());
                Assert.Equal(2, result.GetProperty("interactive").GetInt32());
                Assert.Equal(1, result.GetProperty("images").GetInt32());
                Assert.True(result.GetProperty("katex").GetInt32() >= 2);
            }
        }
        report.AddRange(browser.Errors.Select(error => $"browser: {error}"));
        Assert.True(report.Count == 0, string.Join("\n", report));
    }

    /// <summary>
    /// Runs in the contents page once KaTeX has typeset it: every lesson shows a summary and non-empty goals, and no
    /// text a reader sees (typeset math aside) is raw markdown: bold marks, dollars, backticks, headings.
    /// </summary>
    private const string InspectIndex = """
        (() => {
          const problems = [];
          const lessons = [...document.querySelectorAll("ol.lessons > li")];
          let goalCount = 0;
          lessons.forEach((lesson, i) => {
            const name = lesson.querySelector("a")?.textContent ?? `lesson ${i + 1}`;
            const summary = lesson.querySelector("p.summary");
            if (!summary || summary.textContent.trim() === "") problems.push(`${name}: no summary`);
            const goals = [...lesson.querySelectorAll(".goals li")];
            goalCount += goals.length;
            if (goals.length === 0) problems.push(`${name}: no learning goals`);
            goals.forEach((goal, j) => { if (goal.textContent.replace(/[\s;.,]/g, "") === "") problems.push(`${name}: goal ${j + 1} is empty`); });
            const missing = lesson.querySelector(".intro-missing");
            if (missing) problems.push(`${name}: ${missing.textContent}`);
          });
          const untypeset = [...document.querySelectorAll("main .math")].filter(math => !math.querySelector(".katex")).length;
          if (untypeset > 0) problems.push(`${untypeset} formulas were not typeset`);
          const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest(".katex")) continue;
            const text = node.textContent;
            const where = JSON.stringify(text.trim().slice(0, 80));
            if (text.includes(".**")) problems.push(`stray ".**" in ${where}`);
            else if (text.includes("**") || text.includes("__")) problems.push(`raw bold marks in ${where}`);
            if (text.includes("$")) problems.push(`a dollar outside typeset math in ${where}`);
            if (text.includes("`")) problems.push(`a raw backtick in ${where}`);
            if (/^\s*#{1,6}\s/.test(text)) problems.push(`a heading shown as text: ${where}`);
          }
          return JSON.stringify({ problems, lessons: lessons.length, goals: goalCount, katex: document.querySelectorAll("main .katex").length });
        })()
        """;

    [BrowserFact]
    public async Task Index_StoredLessons_ShowsSummariesAndGoalsWithoutRawMarkdown()
    {
        var site = TestFolders.NewScratch("browser-index");
        var lessons = SiteTestNotebooks.StoredLessons().ToList();
        Assert.NotEmpty(lessons);
        var notices = new StringWriter();
        SiteBuilder.Build(lessons, site, notices, documents: SiteDocument.FromRepository(TestFolders.RepositoryRoot));
        Assert.True(File.Exists(Path.Combine(site, "assets", "katex", "katex.min.js")),
            $"KaTeX was not copied into the site, so the browser cannot typeset the goals' math offline: {notices}");

        using var server = new BrowserStaticServer(site);
        await using var browser = await BrowserSession.StartAsync();
        await browser.NavigateAsync(server.BaseUrl + "index.html");
        var result = JsonDocument.Parse(await browser.EvaluateAsync(InspectIndex)).RootElement;
        var report = result.GetProperty("problems").EnumerateArray().Select(problem => problem.GetString()!).ToList();
        report.AddRange(browser.Errors.Select(error => $"browser: {error}"));
        Assert.True(report.Count == 0, string.Join("\n", report));
        Assert.Equal(lessons.Count, result.GetProperty("lessons").GetInt32());
        Assert.True(result.GetProperty("goals").GetInt32() >= 3 * lessons.Count, result.ToString());
        Assert.True(result.GetProperty("katex").GetInt32() > 0, "no math was typeset on the index, though lessons' goals have formulas");
    }

    /// <summary>A notebook run through the real runner and library: a line chart, a contour plot, an image grid and math.</summary>
    private static async Task<ExecutedNotebook> RunSyntheticLessonAsync(string folder)
    {
        var library = await LessonLibrary.EnsureBuiltAsync();
        NotebookCell Markdown(string id, string source) => new() { Id = id, CellType = "markdown", Source = source };
        NotebookCell Code(string id, string source) => new() { Id = id, CellType = "code", Source = source };
        var document = PolyglotMetadata.NewDocument(
        [
            Markdown("title", SiteTestNotebooks.IntroSource("Lesson 00 · Browser check", "Figures, images and $p_\\theta(x)$ typeset.", "see $p_\\theta(x)$ typeset.")
                + "\n$$\n\\mathbb{E}_{q}[\\log p(x, z)] - \\mathbb{E}_q[\\log q(z)]\n$$"),
            Code("setup", $"#r \"{library}\"\nusing Generative.Plotting;"),
            Code("line", "Plot.Line(new double[] { 3, 2, 1.5, 1.2 }, \"train\").Add(Plot.Line(new double[] { 3.2, 2.4, 2.0, 1.9 }, \"valid\")).WithTitle(\"Loss\")"),
            Code("contour", "Plot.Contour((x, y) => Math.Exp(-(x * x + y * y)), (-2, 2), (-2, 2), resolution: 30).WithEqualAspect()"),
            Code("images", "ImageGrid.FromPixels(Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 64).Select(p => (p * (i + 1) % 64) / 63.0).ToArray()), 8, 8)"),
        ]);
        var executed = await NotebookRunner.RunAsync(document, Path.Combine(folder, "00-browser-check.ipynb"));
        Assert.True(executed.Succeeded, TestNotebooks.Errors(executed));
        return executed;
    }
}
