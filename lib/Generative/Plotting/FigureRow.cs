using System.Text;
using Generative.Notebook;

namespace Generative.Plotting;

/// <summary>
/// Figures shown side by side, left to right, for comparing panels at a glance (a density next to its data, two
/// models next to each other). Each panel is a complete <see cref="Figure"/> with its own axes.
/// </summary>
/// <example><code>
/// new FigureRow(Plot.ScatterByClass(points).WithSize(420, 400), Plot.Contour(density, xs, ys).WithSize(420, 400))
/// </code></example>
[TypeFormatterSource(typeof(DisplayFormatterSource<FigureRow>), PreferredMimeTypes = new[] { MimeTypes.Html, MimeTypes.Svg, MimeTypes.PlainText })]
public sealed class FigureRow : ISvgDisplayable
{
    private readonly Figure[] _figures;

    /// <summary>Creates the row from at least one figure, drawn in the order given.</summary>
    public FigureRow(params IEnumerable<Figure> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        _figures = figures.ToArray();
        if (_figures.Length == 0 || _figures.Any(figure => figure is null))
        {
            throw new ArgumentException("FigureRow: give at least one figure, and no null.", nameof(figures));
        }
    }

    /// <summary>The panels, left to right.</summary>
    public IReadOnlyList<Figure> Figures => _figures;

    /// <summary>One SVG document: each panel's own SVG placed at its x offset, the row as wide as the panels together
    /// and as tall as the tallest.</summary>
    public string ToSvg()
    {
        var widths = _figures.Select(figure => figure.Layout.Width ?? Layout.DefaultWidth).ToArray();
        var height = _figures.Max(figure => figure.Layout.Height ?? Layout.DefaultHeight);
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gen-svg\" width=\"{widths.Sum()}\" height=\"{height}\" viewBox=\"0 0 {widths.Sum()} {height}\">");
        var offset = 0;
        for (var i = 0; i < _figures.Length; i++)
        {
            // A nested svg element takes x and y; the panel's own width, height and viewBox keep its scale.
            svg.Append("<svg x=\"").Append(offset).Append("\" y=\"0\"").Append(_figures[i].ToSvg().AsSpan("<svg".Length));
            offset += widths[i];
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The panels' own HTML (SVG plus plotly.js JSON each) in a row that wraps on narrow screens.</summary>
    public string ToHtml() =>
        "<div class=\"gen-figure-row\" style=\"display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-start\">" +
        string.Concat(_figures.Select(figure => figure.ToHtml())) + "</div>";

    /// <summary>One line per panel, e.g. <c>FigureRow of 2: Figure: data (1 trace: ...) | Figure: density (...)</c>.</summary>
    public string ToPlainText() => $"FigureRow of {_figures.Length}: " + string.Join(" | ", _figures.Select(figure => figure.ToPlainText()));

    /// <inheritdoc/>
    public override string ToString() => ToPlainText();
}
