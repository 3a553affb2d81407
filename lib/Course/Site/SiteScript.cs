namespace Course.Site;

/// <summary>
/// The site's script. Everything it does is an enhancement: without it (or without KaTeX and plotly.js) a page
/// still shows raw TeX and the static SVG figures.
/// </summary>
internal static class SiteScript
{
    public const string Js = """
        // Typesets math and makes figures interactive once the deferred KaTeX and plotly.js scripts have run.
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          renderMath();
          upgradeFigures();
        });

        // Markdig marked every formula with class "math"; render exactly those, so a stray dollar in prose stays text.
        function renderMath() {
          if (!window.katex) return;
          for (const element of document.querySelectorAll(".cell.markdown .math, .lessons .math")) {
            const source = element.textContent.trim();
            const display = source.startsWith("$$");
            const tex = source.slice(display ? 2 : 1, display ? -2 : -1);
            try {
              katex.render(tex, element, { displayMode: display || element.tagName === "DIV", throwOnError: false });
            } catch (error) {
              console.warn("KaTeX could not render", tex, error);
            }
          }
          // Outputs written by the library (check results, tables) may contain math too.
          if (window.renderMathInElement) {
            for (const output of document.querySelectorAll(".output.html")) {
              renderMathInElement(output, {
                delimiters: [{ left: "$$", right: "$$", display: true }, { left: "$", right: "$", display: false }],
                ignoredClasses: ["gen-figure"],
                throwOnError: false,
              });
            }
          }
        }

        // Each figure carries its plotly.js JSON; draw it interactively, keeping the SVG if plotly.js fails.
        function upgradeFigures() {
          if (!window.Plotly) return;
          for (const figure of document.querySelectorAll(".gen-figure")) {
            const specElement = figure.querySelector("script.gen-plotly-spec");
            if (!specElement) continue;
            let spec;
            try { spec = JSON.parse(specElement.textContent); } catch { continue; }
            const svg = figure.querySelector("svg");
            const layout = Object.assign({}, spec.layout);
            if (svg) {
              layout.width = layout.width || Number(svg.getAttribute("width"));
              layout.height = layout.height || Number(svg.getAttribute("height"));
            }
            const target = document.createElement("div");
            target.className = "gen-plotly";
            figure.appendChild(target);
            Promise.resolve()
              .then(() => Plotly.newPlot(target, spec.data, layout, { displaylogo: false, responsive: false }))
              .then(() => { if (svg) svg.style.display = "none"; figure.classList.add("interactive"); })
              .catch(error => { target.remove(); console.warn("plotly.js could not draw a figure; keeping the SVG", error); });
          }
        }
        """;
}
