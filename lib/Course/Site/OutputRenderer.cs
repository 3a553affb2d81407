using System.Net;
using System.Text;
using Course.Notebooks;

namespace Course.Site;

/// <summary>The HTML of a code cell's outputs, choosing the richest representation of each, as Jupyter does.</summary>
internal static class OutputRenderer
{
    /// <summary>Writes <paramref name="output"/> into <paramref name="html"/>.</summary>
    public static void Write(StringBuilder html, NotebookOutput output)
    {
        switch (output)
        {
            case StreamOutput stream:
                html.Append($"<pre class=\"output stream {Escape(stream.Name)}\">{Escape(stream.Text)}</pre>");
                break;
            case DisplayDataOutput display:
                WriteBundle(html, display.Data);
                break;
            case ExecuteResultOutput result:
                WriteBundle(html, result.Data);
                break;
            case ErrorOutput error:
                html.Append("<pre class=\"output error\">");
                html.Append($"<strong>{Escape(error.EName)}</strong>: {Escape(error.EValue)}");
                foreach (var line in error.Traceback)
                {
                    html.Append('\n').Append(Escape(line));
                }
                html.Append("</pre>");
                break;
        }
    }

    private static void WriteBundle(StringBuilder html, MimeBundle data)
    {
        if (data.TryGetValue("text/html", out var rich))
        {
            // The library's own HTML (figures, image grids, check results) is trusted and inserted as is.
            html.Append($"<div class=\"output html\">{rich}</div>");
        }
        else if (data.TryGetValue("image/svg+xml", out var svg))
        {
            html.Append($"<div class=\"output svg\">{svg}</div>");
        }
        else if (data.TryGetValue("image/png", out var png))
        {
            html.Append($"<div class=\"output image\"><img src=\"data:image/png;base64,{Escape(png.Trim())}\" alt=\"\"></div>");
        }
        else if (data.TryGetValue("text/plain", out var plain))
        {
            html.Append($"<pre class=\"output plain\">{Escape(plain)}</pre>");
        }
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
