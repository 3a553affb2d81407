using Generative.Models;
using Generative.Plotting;
using Generative.Tensors;

namespace Generative.Tests.Plotting;

/// <summary>The diagrams draw exactly the connections the models have: one line segment per nonzero mask entry, each
/// from the right unit to the right unit, and a marker per unit.</summary>
public class NetworkDiagramTests
{
    /// <summary>The line segments drawn: the edge traces' points between NaN breaks, as ((x0, y0), (x1, y1)).</summary>
    private static List<((double X, double Y) From, (double X, double Y) To)> Segments(Figure figure)
    {
        var segments = new List<((double, double), (double, double))>();
        foreach (var trace in figure.Traces.OfType<ScatterTrace>().Where(t => t.Mode == ScatterMode.Lines))
        {
            for (var i = 0; i + 1 < trace.X.Count; i += 3)
            {
                segments.Add(((trace.X[i], trace.Y[i]), (trace.X[i + 1], trace.Y[i + 1])));
                Assert.True(double.IsNaN(trace.X[i + 2]), "segments are separated by NaN");
            }
        }
        return segments;
    }

    private static int[] UnitsPerLayer(Figure figure) =>
        figure.Traces.OfType<ScatterTrace>().Where(t => t.Mode == ScatterMode.Markers).Select(t => t.X.Count).ToArray();

    [Fact]
    public void Of_Made_DrawsOneSegmentPerKeptWeight()
    {
        var made = new Made(4, [5, 6], new Generator(1));

        var figure = NetworkDiagram.Of(made);

        var kept = made.Layers.Sum(layer => layer.Mask.ToArray().Count(m => m != 0));
        Assert.Equal(kept, Segments(figure).Count);
        Assert.Equal(kept, NetworkDiagram.ConnectionCount(made.Layers.Select(layer => layer.Mask)));
        Assert.Equal([4, 5, 6, 4], UnitsPerLayer(figure));
    }

    [Fact]
    public void Of_Fvsbn_DrawsTheLowerTriangleOnly()
    {
        var figure = NetworkDiagram.Of(new Fvsbn(4, new Generator(2)));

        var segments = Segments(figure);
        Assert.Equal(4 * 3 / 2, segments.Count);
        // Units of a layer sit at x = (unit + 1/2) w / size; both layers have 4 units, so x + 1/2 is the index.
        var pairs = segments.Select(s => (Input: (int)(s.From.X - 0.5), Output: (int)(s.To.X - 0.5))).ToHashSet();
        var expected = Enumerable.Range(0, 4).SelectMany(d => Enumerable.Range(0, d).Select(j => (Input: j, Output: d))).ToHashSet();
        Assert.Equal(expected, pairs);
        Assert.All(segments, s => Assert.Equal((0.0, 1.0), (s.From.Y, s.To.Y)));
    }

    [Fact]
    public void Of_Nade_GroupsTheHiddenLayerPerConditional()
    {
        var nade = new Nade(4, 3, new Generator(3));

        var figure = NetworkDiagram.Of(nade);
        var masks = NetworkDiagram.NadeMasks(nade);

        // Into h_d: d inputs times H units; out of h_d: H lines to output d alone.
        Assert.Equal(3 * (0 + 1 + 2 + 3), masks[0].ToArray().Count(m => m != 0));
        Assert.Equal(4 * 3, masks[1].ToArray().Count(m => m != 0));
        Assert.Equal(3 * 6 + 4 * 3, Segments(figure).Count);
        Assert.Equal([4, 12, 4], UnitsPerLayer(figure));
        // Tied weights: all lines out of one input share a colour, and different inputs differ.
        var inputColors = figure.Traces.OfType<ScatterTrace>().Where(t => t.Mode == ScatterMode.Lines && t.Y.Contains(0.0)).Select(t => t.Color).ToList();
        Assert.Equal(3, inputColors.Distinct().Count());
    }

    [Fact]
    public void FromMasks_MismatchedShapes_Throw()
    {
        var first = Tensor.Ones(3, 2);
        var second = Tensor.Ones(2, 4);

        Assert.Throws<ArgumentException>(() => NetworkDiagram.FromMasks("t", ["a", "b", "c"], [first, second]));
        Assert.Throws<ArgumentException>(() => NetworkDiagram.FromMasks("t", ["a", "b"], [first, second]));
    }

    [Fact]
    public void FigureRow_PlacesEachPanelAtItsOffset()
    {
        var left = Plot.Line([1.0, 2.0]).WithSize(300, 200);
        var right = Plot.Line([2.0, 1.0]).WithSize(400, 250);

        var svg = new FigureRow(left, right).ToSvg();

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gen-svg\" width=\"700\" height=\"250\"", svg);
        Assert.Contains("<svg x=\"0\" y=\"0\" xmlns=", svg);
        Assert.Contains("<svg x=\"300\" y=\"0\" xmlns=", svg);
        var document = System.Xml.Linq.XDocument.Parse(svg);    // well-formed
        Assert.Equal(2, document.Root!.Elements().Count(e => e.Name.LocalName == "svg"));
    }
}
