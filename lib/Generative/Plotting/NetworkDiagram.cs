using Generative.Models;
using Generative.Tensors;

namespace Generative.Plotting;

/// <summary>
/// Draws a small layered network as a <see cref="Figure"/>: units as markers, a row per layer (inputs at the bottom,
/// outputs at the top), and a line for every connection that exists, read from the model's own masks or structure,
/// so the picture cannot disagree with the model.
/// </summary>
/// <example><code>
/// NetworkDiagram.Of(new Made(4, [5, 5], new Generator(1)))   // the masks of a tiny MADE, one line per kept weight
/// </code></example>
public static class NetworkDiagram
{
    private const string EdgeColor = "#9a9a9a";

    /// <summary>A diagram of consecutive layers joined by 0/1 masks: entry (o, i) of mask l, of shape
    /// (size of layer l + 1, size of layer l), is 1 when unit i of layer l feeds unit o of layer l + 1.</summary>
    /// <param name="title">The figure's title.</param>
    /// <param name="layerNames">One name per layer (masks.Count + 1), bottom to top, shown in the legend.</param>
    /// <param name="masks">The masks, input side first.</param>
    /// <param name="edgeColor">The colour of the connection into unit o of layer l + 1 from unit i of layer l, given
    /// (l, o, i); one grey when null. Connections of one colour may be drawn to show weights they share.</param>
    /// <returns>A figure whose first traces are the connections (one per colour, unnamed) and whose last traces are the
    /// units (one per layer, named).</returns>
    public static Figure FromMasks(string title, IReadOnlyList<string> layerNames, IReadOnlyList<Tensor> masks,
        Func<int, int, int, string>? edgeColor = null)
    {
        ArgumentNullException.ThrowIfNull(layerNames);
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.Count == 0 || layerNames.Count != masks.Count + 1)
        {
            throw new ArgumentException($"NetworkDiagram: {masks.Count} masks need {masks.Count + 1} layer names, got {layerNames.Count}.", nameof(layerNames));
        }
        var sizes = new int[masks.Count + 1];
        sizes[0] = masks[0].Size(1);
        for (var l = 0; l < masks.Count; l++)
        {
            if (masks[l].Rank != 2 || masks[l].Size(1) != sizes[l])
            {
                throw new ArgumentException($"NetworkDiagram: mask {l} has shape {Tensor.FormatShape(masks[l].Shape)}; it must be (outputs, {sizes[l]}).", nameof(masks));
            }
            sizes[l + 1] = masks[l].Size(0);
        }
        var widest = sizes.Max();
        // Each layer spreads over the same width, so layers of different sizes stay centred on each other.
        double X(int layer, int unit) => (unit + 0.5) * widest / sizes[layer];

        var edgesByColor = new Dictionary<string, (List<double> Xs, List<double> Ys)>();
        var colorOrder = new List<string>();
        for (var l = 0; l < masks.Count; l++)
        {
            var mask = masks[l].ToArray();
            int outputs = sizes[l + 1], inputs = sizes[l];
            for (var o = 0; o < outputs; o++)
            {
                for (var i = 0; i < inputs; i++)
                {
                    if (mask[o * inputs + i] == 0)
                    {
                        continue;
                    }
                    var color = edgeColor?.Invoke(l, o, i) ?? EdgeColor;
                    if (!edgesByColor.TryGetValue(color, out var line))
                    {
                        edgesByColor[color] = line = ([], []);
                        colorOrder.Add(color);
                    }
                    // One trace per colour: segments separated by NaN, where the line lifts the pen.
                    line.Xs.AddRange([X(l, i), X(l + 1, o), double.NaN]);
                    line.Ys.AddRange([l, l + 1, double.NaN]);
                }
            }
        }
        var figure = new Figure();
        foreach (var color in colorOrder)
        {
            var (xs, ys) = edgesByColor[color];
            figure.Add(new ScatterTrace(xs, ys) { Color = color, LineWidth = 1.2 });
        }
        for (var l = 0; l < sizes.Length; l++)
        {
            var layer = l;
            figure.Add(new ScatterTrace(Enumerable.Range(0, sizes[l]).Select(unit => X(layer, unit)), Enumerable.Repeat((double)l, sizes[l]), ScatterMode.Markers)
            {
                Name = layerNames[l],
                // Inputs blue, outputs red, hidden layers the palette's other colours in turn.
                Color = Palette.ColorOf(l == 0 ? 0 : l == sizes.Length - 1 ? 3 : l < 3 ? l : l + 1),
                MarkerSize = 12,
            });
        }
        return figure.WithTitle(title).WithAxisTitles("unit", "layer").WithYRange(-0.4, sizes.Length - 0.6)
            .WithSize(Math.Max(420, 60 * widest + 240), 120 * sizes.Length + 100);
    }

    /// <summary>The number of connections <see cref="FromMasks"/> draws for <paramref name="masks"/>: their nonzero
    /// entries.</summary>
    public static int ConnectionCount(IEnumerable<Tensor> masks) =>
        masks.Sum(mask => mask.ToArray().Count(value => value != 0));

    /// <summary>FVSBN: inputs x_1 … x_D straight to the D conditionals, one line per weight W_dj with j &lt; d (the
    /// ones of its strictly lower-triangular mask).</summary>
    public static Figure Of(Fvsbn model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return FromMasks($"FVSBN, D = {model.Dimensions}: {ConnectionCount([model.Conditionals.Mask])} weights",
            ["inputs x_j", "outputs p(x_d | x_<d)"], [model.Conditionals.Mask]);
    }

    /// <summary>MADE: inputs, each hidden layer and the outputs, one line per weight its masks keep.</summary>
    public static Figure Of(Made model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var masks = model.Layers.Select(layer => layer.Mask).ToList();
        var names = new List<string> { "inputs x_j" };
        names.AddRange(model.HiddenSizes.Select((_, l) => $"hidden layer {l + 1}"));
        names.Add("outputs p(x_d | x_<d)");
        return FromMasks($"MADE {model.Dimensions}-{string.Join("-", model.HiddenSizes)}-{model.Dimensions}: {ConnectionCount(masks)} weights",
            names, masks);
    }

    /// <summary>The masks NADE's structure amounts to, with its hidden layer drawn once per conditional: D groups of H
    /// units, group d being h_d = σ(c + W[:, &lt;d] x_&lt;d). Mask 0, shape (D H, D), joins input j to every unit of
    /// group d when j &lt; d; mask 1, shape (D, D H), joins group d to output d only.</summary>
    public static IReadOnlyList<Tensor> NadeMasks(Nade model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int d = model.Dimensions, h = model.HiddenUnits;
        var toHidden = new float[d * h * d];
        var toOutput = new float[d * d * h];
        for (var group = 0; group < d; group++)
        {
            for (var unit = 0; unit < h; unit++)
            {
                var row = group * h + unit;
                for (var input = 0; input < group; input++)
                {
                    toHidden[row * d + input] = 1f;
                }
                toOutput[group * d * h + row] = 1f;
            }
        }
        return [Tensor.FromArray(toHidden, d * h, d), Tensor.FromArray(toOutput, d, d * h)];
    }

    /// <summary>NADE: the hidden layer once per conditional (see <see cref="NadeMasks"/>), the lines out of input j in
    /// one colour because every group uses the same column W[:, j] (tied weights); each group feeds only its own
    /// output.</summary>
    public static Figure Of(Nade model)
    {
        var masks = NadeMasks(model);
        // W's last column would feed a conditional after the last one: it is stored but used by none.
        return FromMasks($"NADE, D = {model.Dimensions}, H = {model.HiddenUnits}: {ConnectionCount([masks[0]])} lines into h share {(model.Dimensions - 1) * model.HiddenUnits} weights of W",
            ["inputs x_j", "h_d: H units per conditional", "outputs p(x_d | x_<d)"], masks,
            edgeColor: (layer, _, input) => layer == 0 ? Palette.ColorOf(input + 4) : EdgeColor);
    }
}
