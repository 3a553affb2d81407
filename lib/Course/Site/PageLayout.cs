using System.Net;

namespace Course.Site;

/// <summary>The frame shared by every page: head with styles, header, main content, scripts.</summary>
internal static class PageLayout
{
    /// <summary>The course's name, shown on every page.</summary>
    public const string CourseTitle = "Deep Generative Models in C#";

    /// <summary>A complete HTML page titled <paramref name="title"/> around <paramref name="body"/>.</summary>
    public static string Page(string title, string body, AssetLinks assets) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{WebUtility.HtmlEncode(title)}</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="{assets.KatexCss}">
        <link rel="stylesheet" href="style.css">
        </head>
        <body>
        <header class="site"><a href="index.html">{WebUtility.HtmlEncode(CourseTitle)}</a></header>
        <main>
        {body}
        </main>
        <script defer src="{assets.KatexJs}"></script>
        <script defer src="{assets.AutoRenderJs}"></script>
        <script defer src="{assets.PlotlyJs}"></script>
        <script defer src="site.js"></script>
        </body>
        </html>

        """;
}
