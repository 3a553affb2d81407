using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Course.Site;

/// <summary>
/// Makes the raw HTML a markdown cell may hold safe to show, as Jupyter does for an untrusted notebook: only an allowlist
/// of presentational elements and attributes survives; script, style, frames, forms and the like are dropped (script and
/// style with their content); event handlers (<c>on...</c>), <c>style</c> and every other attribute are removed; a URL
/// survives only with a scheme a reader can follow safely (http, https, mailto, a relative path, or an image's
/// <c>data:image/png|gif|jpeg|webp</c>). Any other tag is shown as text, so nothing in a notebook's markdown can run
/// script in the site. Outputs from the library's own formatters are not passed through here: they stay rich.
/// </summary>
internal static partial class HtmlSanitizer
{
    private static readonly HashSet<string> AllowedElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details",
        "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
    };

    /// <summary>Elements removed together with everything up to their end tag.</summary>
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "iframe", "object", "embed", "applet", "frameset", "frame", "noscript", "template", "svg", "math",
        "textarea", "select", "title", "xmp", "noembed", "noframes",
    };

    private static readonly HashSet<string> AllowedAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "href", "src", "alt", "title", "width", "height", "align", "colspan", "rowspan", "open", "class", "id", "name", "start", "type",
    };

    [GeneratedRegex("""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(/?)>|<!--.*?-->""", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex("""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")]
    private static partial Regex Attribute();

    /// <summary>The safe version of an HTML fragment from a markdown cell.</summary>
    public static string Sanitize(string html)
    {
        var result = new StringBuilder(html.Length);
        var position = 0;
        while (position < html.Length)
        {
            var match = Tag().Match(html, position);
            if (!match.Success)
            {
                result.Append(EscapeStrayMarkup(html[position..]));
                break;
            }
            result.Append(EscapeStrayMarkup(html[position..match.Index]));
            position = match.Index + match.Length;
            if (match.Value.StartsWith("<!--", StringComparison.Ordinal))
            {
                continue; // comments can hide conditional markup; a reader never sees them anyway
            }
            var closing = match.Groups[1].Value == "/";
            var name = match.Groups[2].Value;
            if (DroppedWithContent.Contains(name))
            {
                if (!closing)
                {
                    var end = html.IndexOf($"</{name}", position, StringComparison.OrdinalIgnoreCase);
                    position = end < 0 ? html.Length : SkipPast(html, end);
                }
                continue;
            }
            if (!AllowedElements.Contains(name))
            {
                result.Append(WebUtility.HtmlEncode(match.Value)); // shown as text, as a stray "<float>" should be
                continue;
            }
            result.Append('<').Append(closing ? "/" : "").Append(name.ToLowerInvariant());
            if (!closing)
            {
                foreach (Match attribute in Attribute().Matches(match.Groups[3].Value))
                {
                    var attributeName = attribute.Groups[1].Value;
                    var value = attribute.Groups[2].Success ? attribute.Groups[2].Value
                        : attribute.Groups[3].Success ? attribute.Groups[3].Value
                        : attribute.Groups[4].Success ? attribute.Groups[4].Value : null;
                    if (!AllowedAttributes.Contains(attributeName)) continue;
                    var decoded = value is null ? null : WebUtility.HtmlDecode(value);
                    if (attributeName.Equals("href", StringComparison.OrdinalIgnoreCase) || attributeName.Equals("src", StringComparison.OrdinalIgnoreCase))
                    {
                        if (decoded is null || !IsSafeUrl(decoded, image: name.Equals("img", StringComparison.OrdinalIgnoreCase))) continue;
                    }
                    result.Append(' ').Append(attributeName.ToLowerInvariant());
                    if (decoded is not null) result.Append("=\"").Append(WebUtility.HtmlEncode(decoded)).Append('"');
                }
            }
            result.Append(match.Groups[4].Value == "/" ? " />" : ">");
        }
        return result.ToString();
    }

    /// <summary>True for http, https and mailto URLs, relative ones, and (for images) base64 data of a raster type.
    /// Control characters and spaces that browsers ignore inside a scheme ("java\tscript:") are removed before judging.</summary>
    public static bool IsSafeUrl(string url, bool image = false)
    {
        var compact = new string(url.Where(c => c > ' ').ToArray());
        var colon = compact.IndexOf(':');
        var firstDelimiter = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (firstDelimiter >= 0 && firstDelimiter < colon)) return true; // relative
        var scheme = compact[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "mailto"
            || (image && scheme == "data" && DataImage().IsMatch(compact));
    }

    [GeneratedRegex("^data:image/(png|gif|jpeg|webp);base64,", RegexOptions.IgnoreCase)]
    private static partial Regex DataImage();

    /// <summary>A '&lt;' that is not a whole tag (e.g. "&lt;script" cut off) is shown as text.</summary>
    private static string EscapeStrayMarkup(string text) => text.Replace("<", "&lt;");

    private static int SkipPast(string html, int endTagStart)
    {
        var close = html.IndexOf('>', endTagStart);
        return close < 0 ? html.Length : close + 1;
    }
}
