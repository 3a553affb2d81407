using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;

namespace Course.Site;

/// <summary>Markdown cells to HTML with the Markdig extensions a notebook viewer understands (tables, footnotes, math, ...).</summary>
internal static class MarkdownRenderer
{
    // Markdig's advanced set minus its list extras: those read "- K. P. Murphy" as an alphabetic list nested in
    // a bullet, where Jupyter, VS Code and GitHub show a plain bullet.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAbbreviations().UseAutoIdentifiers().UseCitations().UseCustomContainers().UseDefinitionLists()
        .UseEmphasisExtras().UseFigures().UseFooters().UseFootnotes().UseGridTables().UseMathematics()
        .UseMediaLinks().UsePipeTables().UseTaskLists().UseDiagrams().UseAutoLinks().UseGenericAttributes()
        .Build();

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
