namespace Course.Site;

/// <summary>The site's stylesheet: a readable column, quiet code blocks, outputs set apart from the code.</summary>
internal static class SiteStyle
{
    public const string Css = """
        :root { --text: #1f2328; --muted: #59636e; --rule: #d1d9e0; --code-bg: #f6f8fa; --accent: #0969da; --error: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--text); background: #fff; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header.site { border-bottom: 1px solid var(--rule); padding: 0.6rem 1.25rem; font-weight: 600; }
        header.site a { color: var(--text); text-decoration: none; }
        main { max-width: 56rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
        h1, h2, h3 { line-height: 1.25; }
        h1 { font-size: 2rem; margin-top: 1rem; }
        a { color: var(--accent); }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid var(--rule); padding: 0.3rem 0.6rem; }
        blockquote { margin: 1rem 0; padding: 0 1rem; color: var(--muted); border-left: 3px solid var(--rule); }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
        :not(pre) > code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
        pre { margin: 0; padding: 0.75rem 1rem; overflow-x: auto; font-size: 0.875rem; line-height: 1.45; }
        .cell.code { margin: 1.25rem 0; border: 1px solid var(--rule); border-radius: 6px; overflow: hidden; }
        .cell.code pre.source { background: var(--code-bg); }
        .output { border-top: 1px solid var(--rule); }
        pre.output { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; }
        pre.output.stderr { background: #fff8e6; }
        pre.output.error { color: var(--error); background: #fdf0ef; }
        div.output { padding: 0.75rem 1rem; overflow-x: auto; }
        .math { overflow-x: auto; }
        div.math { margin: 1rem 0; }
        .gen-figure { max-width: 100%; overflow-x: auto; }
        .gen-figure svg { display: block; max-width: 100%; height: auto; }
        .gen-image { image-rendering: pixelated; }
        .run-failed { color: var(--error); border: 1px solid var(--error); border-radius: 6px; padding: 0.5rem 1rem; }
        .badge.failed { color: #fff; background: var(--error); border-radius: 4px; padding: 0 0.4em; font-size: 0.8em; }
        ol.lessons { list-style: none; padding-left: 0; }
        ol.lessons > li { margin: 1.5rem 0; }
        ol.lessons > li > a { font-weight: 600; font-size: 1.1rem; }
        ol.lessons p { margin: 0.25rem 0; }
        .goals { color: var(--muted); }
        .goals ul { margin: 0.2rem 0; padding-left: 1.5rem; }
        .intro-missing { color: var(--error); }
        .lead { color: var(--muted); }
        ul.documents .source { color: var(--muted); font-size: 0.85em; }
        nav.pager { display: flex; justify-content: space-between; gap: 1rem; max-width: 56rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; border-top: 1px solid var(--rule); }
        nav.pager.top { padding: 0 0 0.75rem; border-top: none; border-bottom: 1px solid var(--rule); }
        """;
}
