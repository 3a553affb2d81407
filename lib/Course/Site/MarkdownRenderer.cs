using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;

namespace Course.Site;

/// <summary>Markdown cells to HTML with Markdig's advanced extensions (tables, footnotes, math, ...).</summary>
internal static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>The HTML of <paramref name="markdown"/>; math stays in <c>$</c> delimiters inside <c>.math</c> elements for KaTeX.</summary>
    public static string ToHtml(string markdown)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new DollarMathInlineRenderer());
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathBlockRenderer>(new DollarMathBlockRenderer());
        renderer.Render(Markdown.Parse(markdown, Pipeline));
        writer.Flush();
        return writer.ToString();
    }
}
