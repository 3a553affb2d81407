namespace Course.Site;

/// <summary>Where a page loads KaTeX and plotly.js from: paths inside the site, or pinned CDN URLs.</summary>
/// <param name="KatexCss">katex.min.css.</param>
/// <param name="KatexJs">katex.min.js.</param>
/// <param name="AutoRenderJs">KaTeX's auto-render extension.</param>
/// <param name="PlotlyJs">plotly.min.js from plotly.js-dist-min.</param>
/// <param name="IsLocal">True when the files were copied into the site, so it works offline.</param>
public sealed record AssetLinks(string KatexCss, string KatexJs, string AutoRenderJs, string PlotlyJs, bool IsLocal)
{
    /// <summary>The pinned KaTeX version.</summary>
    public const string KatexVersion = "0.19.1";

    /// <summary>The pinned plotly.js-dist-min version.</summary>
    public const string PlotlyVersion = "4.1.2";

    /// <summary>jsDelivr URLs of the pinned versions: the pages still show their SVG figures and raw TeX when offline.</summary>
    public static AssetLinks Cdn { get; } = new(
        $"https://cdn.jsdelivr.net/npm/katex@{KatexVersion}/dist/katex.min.css",
        $"https://cdn.jsdelivr.net/npm/katex@{KatexVersion}/dist/katex.min.js",
        $"https://cdn.jsdelivr.net/npm/katex@{KatexVersion}/dist/contrib/auto-render.min.js",
        $"https://cdn.jsdelivr.net/npm/plotly.js-dist-min@{PlotlyVersion}/plotly.min.js",
        IsLocal: false);

    /// <summary>The files under <c>assets/</c> that <see cref="SiteAssets"/> copies.</summary>
    public static AssetLinks Local { get; } = new(
        "assets/katex/katex.min.css",
        "assets/katex/katex.min.js",
        "assets/katex/contrib/auto-render.min.js",
        "assets/plotly/plotly.min.js",
        IsLocal: true);
}
