using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Renderers.Html.Inlines;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Course.Site;

/// <summary>Markdown cells to HTML with the Markdig extensions a notebook viewer understands (tables, footnotes, math, ...),
/// with raw HTML and link targets sanitised as Jupyter does for an untrusted notebook (see <see cref="HtmlSanitizer"/>).</summary>
internal static class MarkdownRenderer
{
    // Markdig's advanced set minus its list extras: those read "- K. P. Murphy" as an alphabetic list nested in
    // a bullet, where Jupyter, VS Code and GitHub show a plain bullet.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAbbreviations().UseAutoIdentifiers().UseCitations().UseCustomContainers().UseDefinitionLists()
        .UseEmphasisExtras().UseFigures().UseFooters().UseFootnotes().UseGridTables().UseMathematics()
        .UseMediaLinks().UsePipeTables().UseTaskLists().UseDiagrams().UseAutoLinks().UseGenericAttributes()
        .Build();

    // A notebook in the same folder, "name.ipynb" with an optional "#fragment": no scheme, no folder.
    private static readonly Regex SiblingNotebookLink =
        new(@"^(?<name>[A-Za-z0-9_.-]+)\.ipynb(?<fragment>#.*)?$", RegexOptions.CultureInvariant);

    /// <summary>The HTML of <paramref name="markdown"/>; math stays in <c>$</c> delimiters inside <c>.math</c> elements for KaTeX.</summary>
    /// <param name="markdown">A markdown cell, or a markdown file.</param>
    /// <param name="rewriteLink">Where a safe link's target points on the site; by default a sibling notebook's link points to its page.</param>
    public static string ToHtml(string markdown, Func<string, string>? rewriteLink = null)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new DollarMathInlineRenderer());
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathBlockRenderer>(new DollarMathBlockRenderer());
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlBlockRenderer>(new SanitizedHtmlBlockRenderer());
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlInlineRenderer>(new SanitizedHtmlInlineRenderer());
        var document = Markdown.Parse(markdown, Pipeline);
        // Markdown links and images are HTML too: one with a javascript: (or other unsafe) URL keeps its text, not its target.
        foreach (var link in document.Descendants<LinkInline>().Where(link => link.Url is { } url && !HtmlSanitizer.IsSafeUrl(url, link.IsImage)))
        {
            link.Url = "";
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().Where(link => !link.IsEmail && !HtmlSanitizer.IsSafeUrl(link.Url)))
        {
            autolink.Url = "";
        }
        // A lesson links another lesson as "06-maximum-likelihood.ipynb", which GitHub and VS Code open; the site has
        // that lesson as "06-maximum-likelihood.html" beside the page.
        rewriteLink ??= SiblingNotebookPage;
        foreach (var link in document.Descendants<LinkInline>().Where(link => !link.IsImage && !string.IsNullOrEmpty(link.Url)))
        {
            link.Url = rewriteLink(link.Url!);
        }
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>A sibling notebook's link (<c>06-maximum-likelihood.ipynb#kl</c>) as its page's (<c>06-maximum-likelihood.html#kl</c>); any other as it is.</summary>
    public static string SiblingNotebookPage(string url) => SiblingNotebookLink.Replace(url, "${name}.html${fragment}");

    /// <summary>The target of every link and image in <paramref name="markdown"/>, as the site's parser reads them (reference links resolved).</summary>
    public static IReadOnlyList<string> LinkTargets(string markdown) =>
        [.. Markdown.Parse(markdown, Pipeline).Descendants<LinkInline>().Where(link => !string.IsNullOrEmpty(link.Url)).Select(link => link.Url!)];
}

/// <summary>Writes a raw HTML block through <see cref="HtmlSanitizer"/>.</summary>
internal sealed class SanitizedHtmlBlockRenderer : HtmlObjectRenderer<HtmlBlock>
{
    protected override void Write(HtmlRenderer renderer, HtmlBlock block)
    {
        renderer.EnsureLine();
        renderer.Write(HtmlSanitizer.Sanitize(block.Lines.ToString()));
        renderer.EnsureLine();
    }
}

/// <summary>Writes an inline HTML tag through <see cref="HtmlSanitizer"/>.</summary>
internal sealed class SanitizedHtmlInlineRenderer : HtmlObjectRenderer<HtmlInline>
{
    protected override void Write(HtmlRenderer renderer, HtmlInline inline) => renderer.Write(HtmlSanitizer.Sanitize(inline.Tag));
}
