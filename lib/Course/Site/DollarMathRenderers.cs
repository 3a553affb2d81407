using System.Net;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Course.Site;

/// <summary>
/// Writes inline math as <c>&lt;span class="math"&gt;$...$&lt;/span&gt;</c> (or <c>$$...$$</c>), keeping the
/// delimiters the notebook uses, where Markdig's default writes <c>\(...\)</c>. Markdig's parser still decides
/// what is math, so underscores and asterisks inside it are never taken for emphasis.
/// </summary>
internal sealed class DollarMathInlineRenderer : HtmlObjectRenderer<MathInline>
{
    protected override void Write(HtmlRenderer renderer, MathInline math)
    {
        var delimiter = new string('$', math.DelimiterCount);
        renderer.Write("<span class=\"math\">").Write(delimiter)
            .Write(WebUtility.HtmlEncode(math.Content.ToString()))
            .Write(delimiter).Write("</span>");
    }
}

/// <summary>Writes a display-math block as <c>&lt;div class="math"&gt;$$ ... $$&lt;/div&gt;</c>.</summary>
internal sealed class DollarMathBlockRenderer : HtmlObjectRenderer<MathBlock>
{
    protected override void Write(HtmlRenderer renderer, MathBlock math)
    {
        renderer.EnsureLine();
        renderer.Write("<div class=\"math\">$$\n")
            .Write(WebUtility.HtmlEncode(math.Lines.ToString()))
            .Write("\n$$</div>");
        renderer.EnsureLine();
    }
}
