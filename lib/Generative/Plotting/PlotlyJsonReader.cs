using System.Globalization;
using System.Text.Json;

namespace Generative.Plotting;

/// <summary>
/// Reads a plotly.js figure (<c>{"data": [...], "layout": {...}}</c>, as <see cref="Figure.ToJson"/>, Plotly.NET's
/// <c>GenericChart.toFigureJson</c> or XPlot write it) back into a <see cref="Figure"/>, for the trace types and layout
/// properties the course draws. Whatever the course cannot draw is refused with the trace and property named, rather than
/// dropped: a figure that silently lost a trace would be worse than an error.
/// </summary>
/// <remarks>
/// Two things are ignored on purpose, because they style a figure and the course draws in its own style: a layout
/// <c>template</c> (Plotly.NET adds plotly's default one) and keys starting with an underscore (XPlot's internal
/// <c>_isSubplotObj</c>). Everything else is either mapped or refused.
/// </remarks>
internal static class PlotlyJsonReader
{
    private const string SupportedTraceTypes = "scatter, bar, histogram, heatmap and contour";

    public static Figure Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The plotly figure JSON is not valid JSON: {exception.Message}", exception);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"A plotly figure is a JSON object with \"data\" and \"layout\", not a JSON {root.ValueKind}.");
            }
            var figure = new Figure();
            foreach (var property in Properties(root, "figure"))
            {
                switch (property.Name)
                {
                    case "data":
                        var index = 0;
                        foreach (var trace in Array(property.Value, "figure.data"))
                        {
                            figure.Add(ReadTrace(trace, index++));
                        }
                        break;
                    case "layout":
                        ReadLayout(property.Value, figure);
                        break;
                    case "frames" when property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() == 0:
                        break;
                    default:
                        throw Unsupported("figure", property.Name, "animation frames and other top-level keys are not drawn");
                }
            }
            return figure;
        }
    }

    private static Trace ReadTrace(JsonElement trace, int index)
    {
        if (trace.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Trace {index} is a JSON {trace.ValueKind}, not an object.");
        }
        // plotly.js draws a trace without "type" as a scatter.
        var type = trace.TryGetProperty("type", out var typeElement) ? String(typeElement, $"trace {index}.type") : "scatter";
        var where = $"trace {index} ({type})";
        var properties = Properties(trace, where).Where(property => property.Name is not "type").ToList();
        var (name, hidden) = (default(string), false);
        var specific = new List<JsonProperty>();
        foreach (var property in properties)
        {
            switch (property.Name)
            {
                case "name": name = String(property.Value, $"{where}.name"); break;
                case "showlegend": hidden = !Boolean(property.Value, $"{where}.showlegend"); break;
                default: specific.Add(property); break;
            }
        }
        Trace result = type switch
        {
            "scatter" => ReadScatter(specific, where),
            "bar" => ReadBar(specific, where),
            "histogram" => ReadHistogram(specific, where),
            "heatmap" => ReadGrid(specific, where, contour: false),
            "contour" => ReadGrid(specific, where, contour: true),
            _ => throw new NotSupportedException(
                $"Trace {index} has type '{type}', which the course's Figure cannot draw; it draws {SupportedTraceTypes} traces."),
        };
        // The course leaves a trace out of the legend by leaving it unnamed.
        result.Name = hidden ? null : name;
        return result;
    }

    private static ScatterTrace ReadScatter(List<JsonProperty> properties, string where)
    {
        double[]? x = null, y = null;
        string? mode = null, lineColor = null, markerColor = null, dash = null;
        double? lineWidth = null, markerSize = null, markerOpacity = null;
        string[]? pointColors = null, texts = null;
        foreach (var property in properties)
        {
            var path = $"{where}.{property.Name}";
            switch (property.Name)
            {
                case "x": x = Numbers(property.Value, path); break;
                case "y": y = Numbers(property.Value, path); break;
                case "mode": mode = String(property.Value, path); break;
                case "text" or "hovertext": texts = Strings(property.Value, path); break;
                case "line":
                    foreach (var line in Properties(property.Value, path))
                    {
                        var linePath = $"{path}.{line.Name}";
                        switch (line.Name)
                        {
                            case "color": lineColor = String(line.Value, linePath); break;
                            case "width": lineWidth = Number(line.Value, linePath); break;
                            case "dash": dash = String(line.Value, linePath) is var style && style == "solid" ? null : style; break;
                            default: throw Unsupported(path, line.Name);
                        }
                    }
                    break;
                case "marker":
                    foreach (var marker in Properties(property.Value, path))
                    {
                        var markerPath = $"{path}.{marker.Name}";
                        switch (marker.Name)
                        {
                            case "color" when marker.Value.ValueKind == JsonValueKind.Array: pointColors = Strings(marker.Value, markerPath); break;
                            case "color": markerColor = String(marker.Value, markerPath); break;
                            case "size": markerSize = Number(marker.Value, markerPath); break;
                            case "opacity": markerOpacity = Number(marker.Value, markerPath); break;
                            default: throw Unsupported(path, marker.Name);
                        }
                    }
                    break;
                default: throw Unsupported(where, property.Name);
            }
        }
        y = y ?? throw new NotSupportedException($"{Capitalised(where)} has no y values; the course draws a scatter from x and y.");
        x ??= Enumerable.Range(0, y.Length).Select(i => (double)i).ToArray();
        if (texts is { Length: 1 } && y.Length != 1)
        {
            texts = Enumerable.Repeat(texts[0], y.Length).ToArray();
        }
        var scatterMode = mode switch
        {
            "lines" => ScatterMode.Lines,
            "markers" => ScatterMode.Markers,
            "lines+markers" or "markers+lines" => ScatterMode.LinesAndMarkers,
            // plotly.js's default mode: lines and markers for fewer than 20 points, lines alone from 20.
            null => y.Length < 20 ? ScatterMode.LinesAndMarkers : ScatterMode.Lines,
            _ => throw new NotSupportedException($"{Capitalised(where)} has mode '{mode}'; the course draws lines, markers or lines+markers."),
        };
        var hasLines = scatterMode is ScatterMode.Lines or ScatterMode.LinesAndMarkers;
        var hasMarkers = scatterMode is ScatterMode.Markers or ScatterMode.LinesAndMarkers;
        // The course gives a trace one colour; plotly.js may colour its line and markers differently.
        var colors = new[] { hasLines ? lineColor : null, hasMarkers ? markerColor : null }.OfType<string>().Distinct().ToArray();
        if (colors.Length > 1)
        {
            throw new NotSupportedException(
                $"{Capitalised(where)} colours its line {lineColor} and its markers {markerColor}; a course scatter trace has one colour.");
        }
        return new ScatterTrace(x, y, scatterMode)
        {
            Color = colors.SingleOrDefault(),
            PointColors = pointColors,
            HoverTexts = texts,
            LineWidth = lineWidth ?? 2,
            MarkerSize = markerSize ?? 6,
            MarkerOpacity = markerOpacity ?? 1,
            Dash = dash is null or "dot" or "dash" ? dash
                : throw new NotSupportedException($"{Capitalised(where)} has line dash '{dash}'; the course draws solid, dot and dash."),
        };
    }

    private static BarTrace ReadBar(List<JsonProperty> properties, string where)
    {
        string[]? categories = null;
        double[]? values = null;
        string? color = null;
        foreach (var property in properties)
        {
            var path = $"{where}.{property.Name}";
            switch (property.Name)
            {
                case "x": categories = Strings(property.Value, path); break;
                case "y": values = Numbers(property.Value, path); break;
                case "orientation" when String(property.Value, path) == "v": break;
                case "orientation": throw new NotSupportedException($"{Capitalised(where)} is horizontal; the course draws vertical bars.");
                case "marker": color = MarkerColorOnly(property.Value, path); break;
                default: throw Unsupported(where, property.Name);
            }
        }
        values = values ?? throw new NotSupportedException($"{Capitalised(where)} has no y values; the course draws bar heights from y.");
        categories ??= Enumerable.Range(0, values.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new BarTrace(categories, values) { Color = color };
    }

    private static HistogramTrace ReadHistogram(List<JsonProperty> properties, string where)
    {
        double[]? values = null;
        int? binCount = null;
        (double, double, double)? bins = null;
        var normalization = HistogramNormalization.Count;
        string? color = null;
        double opacity = 1;
        foreach (var property in properties)
        {
            var path = $"{where}.{property.Name}";
            switch (property.Name)
            {
                case "x": values = Numbers(property.Value, path); break;
                case "nbinsx": binCount = Integer(property.Value, path); break;
                case "xbins": bins = StartEndSize(property.Value, path); break;
                case "histnorm":
                    normalization = String(property.Value, path) switch
                    {
                        "" => HistogramNormalization.Count,
                        "probability" => HistogramNormalization.Probability,
                        "probability density" => HistogramNormalization.ProbabilityDensity,
                        var other => throw new NotSupportedException(
                            $"{Capitalised(where)} has histnorm '{other}'; the course draws counts, probability and probability density."),
                    };
                    break;
                case "marker": color = MarkerColorOnly(property.Value, path); break;
                case "opacity": opacity = Number(property.Value, path); break;
                default: throw Unsupported(where, property.Name);
            }
        }
        values = values ?? throw new NotSupportedException($"{Capitalised(where)} has no x values; the course bins the values of x.");
        // With nbinsx the bins follow from the count (the course writes both; xbins is then derived from nbinsx).
        return new HistogramTrace(values, binCount ?? 30)
        {
            Bins = binCount is null ? bins : null,
            Normalization = normalization,
            Color = color,
            Opacity = opacity,
        };
    }

    private static GridTrace ReadGrid(List<JsonProperty> properties, string where, bool contour)
    {
        double[,]? z = null;
        double[]? x = null, y = null;
        Colorscale? colorscale = null;
        bool? showScale = null;
        double? zMin = null, zMax = null;
        int? levelCount = null;
        (double, double, double)? levels = null;
        var coloring = ContourColoring.Fill;
        foreach (var property in properties)
        {
            var path = $"{where}.{property.Name}";
            switch (property.Name)
            {
                case "z": z = Rows(property.Value, path); break;
                case "x": x = Numbers(property.Value, path); break;
                case "y": y = Numbers(property.Value, path); break;
                case "colorscale": colorscale = ReadColorscale(property.Value, path); break;
                case "showscale": showScale = Boolean(property.Value, path); break;
                case "zmin": zMin = Number(property.Value, path); break;
                case "zmax": zMax = Number(property.Value, path); break;
                case "ncontours" when contour: levelCount = Integer(property.Value, path); break;
                case "autocontour" when contour: Boolean(property.Value, path); break;
                case "contours" when contour:
                    var startEndSize = new List<JsonProperty>();
                    foreach (var setting in Properties(property.Value, path))
                    {
                        if (setting.Name == "coloring")
                        {
                            coloring = String(setting.Value, $"{path}.coloring") switch
                            {
                                "fill" => ContourColoring.Fill,
                                "lines" => ContourColoring.Lines,
                                var other => throw new NotSupportedException($"{Capitalised(where)} has contours.coloring '{other}'; the course draws fill and lines."),
                            };
                        }
                        else if (setting.Name is not ("start" or "end" or "size"))
                        {
                            throw Unsupported(path, setting.Name);
                        }
                    }
                    if (property.Value.TryGetProperty("size", out _))
                    {
                        levels = StartEndSize(property.Value, path, ignore: "coloring");
                    }
                    break;
                case "line" when contour:
                    foreach (var line in Properties(property.Value, path))
                    {
                        // The course draws contour lines ContourTrace.LineWidth wide; only that width can be kept.
                        if (line.Name != "width" || Number(line.Value, $"{path}.width") != ContourTrace.LineWidth)
                        {
                            throw Unsupported(path, line.Name, $"the course draws contour lines of its own width, {ContourTrace.LineWidth} px where only lines are drawn");
                        }
                    }
                    break;
                default: throw Unsupported(where, property.Name);
            }
        }
        z = z ?? throw new NotSupportedException($"{Capitalised(where)} has no z values.");
        GridTrace trace = contour
            ? new ContourTrace(z, x, y, levelCount ?? 10) { Levels = levelCount is null ? levels : null, Coloring = coloring }
            : new HeatmapTrace(z, x, y);
        trace.Colorscale = colorscale ?? Colorscale.Viridis;
        trace.ShowScale = showScale ?? true;
        trace.ZMin = zMin;
        trace.ZMax = zMax;
        return trace;
    }

    private static Colorscale ReadColorscale(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var name = value.GetString()!;
            return Colorscale.BuiltIn(name)
                ?? throw new NotSupportedException($"{Capitalised(path)} is '{name}'; the course knows Viridis, Greys and RdBu by name (or give [[position, \"#rrggbb\"], ...]).");
        }
        var stops = Array(value, path).Select((stop, i) => stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() == 2
            ? (Number(stop[0], $"{path}[{i}][0]"), String(stop[1], $"{path}[{i}][1]"))
            : throw new FormatException($"{Capitalised(path)}[{i}] is not a [position, colour] pair.")).ToArray();
        try
        {
            return Colorscale.FromStops(stops);
        }
        catch (FormatException exception)
        {
            throw new NotSupportedException($"{Capitalised(path)}: {exception.Message} The course reads colour scale stops as #rrggbb.", exception);
        }
    }

    private static void ReadLayout(JsonElement layout, Figure figure)
    {
        int? width = null, height = null;
        foreach (var property in Properties(layout, "layout"))
        {
            var path = $"layout.{property.Name}";
            switch (property.Name)
            {
                case "title": figure.Layout.Title = Title(property.Value, path); break;
                case "width": width = Integer(property.Value, path); break;
                case "height": height = Integer(property.Value, path); break;
                case "showlegend": figure.Layout.ShowLegend = Boolean(property.Value, path); break;
                case "barmode":
                    figure.Layout.BarMode = String(property.Value, path) switch
                    {
                        "group" => BarMode.Group,
                        "overlay" => BarMode.Overlay,
                        var other => throw new NotSupportedException($"Layout.barmode '{other}' is not drawn by the course; it draws group and overlay."),
                    };
                    break;
                case "xaxis": ReadAxis(property.Value, path, figure.Layout.XAxis); break;
                case "yaxis": ReadAxis(property.Value, path, figure.Layout.YAxis); break;
                // plotly's styling; the course draws in its own style.
                case "template": break;
                default: throw Unsupported("layout", property.Name);
            }
        }
        if (width is not null || height is not null)
        {
            figure.WithSize(width ?? Layout.DefaultWidth, height ?? Layout.DefaultHeight);
        }
    }

    private static void ReadAxis(JsonElement axis, string path, Axis target)
    {
        JsonElement? range = null;
        var decadeTicks = false;
        foreach (var property in Properties(axis, path))
        {
            var propertyPath = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "title": target.Title = Title(property.Value, propertyPath); break;
                case "type":
                    switch (String(property.Value, propertyPath))
                    {
                        case "log": target.Log = true; break;
                        // The course makes x a category axis exactly when it holds bars, so "category" needs no flag.
                        case "linear" or "-" or "category": break;
                        case var other: throw new NotSupportedException($"{Capitalised(propertyPath)} is '{other}'; the course draws linear, log and category axes.");
                    }
                    break;
                case "range": range = property.Value; break;
                case "autorange":
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == "reversed")
                    {
                        target.Reversed = true;
                    }
                    else
                    {
                        Boolean(property.Value, propertyPath);
                    }
                    break;
                case "scaleanchor": target.ScaleAnchor = String(property.Value, propertyPath); break;
                case "scaleratio" when Number(property.Value, propertyPath) == 1: break;
                // The course's own log axes carry these two, one labelled tick per decade written as a power.
                case "dtick" when property.Value.ValueKind == JsonValueKind.Number && property.Value.GetDouble() == 1: decadeTicks = true; break;
                case "exponentformat" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == "power": decadeTicks = true; break;
                default: throw Unsupported(path, property.Name);
            }
        }
        if (decadeTicks && !target.Log)
        {
            throw new NotSupportedException($"{Capitalised(path)} sets dtick or exponentformat on a linear axis; the course picks its own ticks there.");
        }
        if (range is { } bounds)
        {
            var values = Numbers(bounds, $"{path}.range");
            if (values.Length != 2 || !values.All(double.IsFinite) || values[0] == values[1])
            {
                throw new FormatException($"{Capitalised(path)}.range must be two different finite numbers.");
            }
            // plotly.js gives a log axis's range in powers of ten, and a reversed axis's range high to low.
            if (target.Log)
            {
                values = values.Select(v => Math.Pow(10, v)).ToArray();
            }
            target.Reversed |= values[0] > values[1];
            target.Range = (Math.Min(values[0], values[1]), Math.Max(values[0], values[1]));
        }
    }

    private static string? Title(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }
        string? text = null;
        foreach (var property in Properties(value, path))
        {
            text = property.Name == "text" ? String(property.Value, $"{path}.text") : throw Unsupported(path, property.Name);
        }
        return text;
    }

    private static string? MarkerColorOnly(JsonElement marker, string path)
    {
        string? color = null;
        foreach (var property in Properties(marker, path))
        {
            color = property.Name == "color" ? String(property.Value, $"{path}.color") : throw Unsupported(path, property.Name);
        }
        return color;
    }

    private static (double, double, double) StartEndSize(JsonElement value, string path, string? ignore = null)
    {
        double? start = null, end = null, size = null;
        foreach (var property in Properties(value, path))
        {
            switch (property.Name)
            {
                case "start": start = Number(property.Value, $"{path}.start"); break;
                case "end": end = Number(property.Value, $"{path}.end"); break;
                case "size": size = Number(property.Value, $"{path}.size"); break;
                case var name when name == ignore: break;
                default: throw Unsupported(path, property.Name);
            }
        }
        return start is { } s && end is { } e && size is { } z
            ? (s, e, z)
            : throw new NotSupportedException($"{Capitalised(path)} needs start, end and size; the course does not choose bins or levels from part of them.");
    }

    /// <summary>
    /// The properties of an object, leaving out underscore-prefixed ones (XPlot's internal flags) and empty objects, which
    /// set nothing (Plotly.NET writes <c>"marker": {}</c> and <c>"pattern": {}</c> for options left unset).
    /// </summary>
    private static IEnumerable<JsonProperty> Properties(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Where(property => !property.Name.StartsWith('_') && !IsEmptyObject(property.Value))
            : throw new FormatException($"{Capitalised(path)} should be a JSON object, not {value.ValueKind}.");

    private static bool IsEmptyObject(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(property => property.Name.StartsWith('_') || IsEmptyObject(property.Value));

    private static JsonElement.ArrayEnumerator Array(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw new FormatException($"{Capitalised(path)} should be a JSON array, not {value.ValueKind}.");

    /// <summary>A number; JSON null is a gap (NaN), as plotly.js and <see cref="Figure.ToJson"/> use it.</summary>
    private static double Number(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Null => double.NaN,
        _ => throw new NotSupportedException($"{Capitalised(path)} is a JSON {value.ValueKind} where the course needs a number."),
    };

    private static int Integer(JsonElement value, string path) =>
        Number(value, path) is var number && number == Math.Floor(number) && Math.Abs(number) < int.MaxValue
            ? (int)number
            : throw new FormatException($"{Capitalised(path)} should be a whole number, got {value.GetRawText()}.");

    private static double[] Numbers(JsonElement value, string path) =>
        Array(value, path).Select((item, i) => Number(item, $"{path}[{i}]")).ToArray();

    private static double[,] Rows(JsonElement value, string path)
    {
        var rows = Array(value, path).Select((row, i) => Numbers(row, $"{path}[{i}]")).ToArray();
        if (rows.Length == 0 || rows.Any(row => row.Length != rows[0].Length))
        {
            throw new FormatException($"{Capitalised(path)} should be a non-empty array of rows of equal length.");
        }
        var matrix = new double[rows.Length, rows[0].Length];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                matrix[r, c] = rows[r][c];
            }
        }
        return matrix;
    }

    private static string String(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new NotSupportedException($"{Capitalised(path)} is a JSON {value.ValueKind} where the course needs a string.");

    /// <summary>Strings, or a single string (plotly.js repeats it for every point); numbers become their invariant text.</summary>
    private static string[] Strings(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => Array(value, path).Select((item, i) => item.ValueKind == JsonValueKind.Number
            ? item.GetDouble().ToString("R", CultureInfo.InvariantCulture)
            : String(item, $"{path}[{i}]")).ToArray(),
        _ => throw new NotSupportedException($"{Capitalised(path)} is a JSON {value.ValueKind} where the course needs strings."),
    };

    private static bool Boolean(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new NotSupportedException($"{Capitalised(path)} is a JSON {value.ValueKind} where the course needs true or false."),
    };

    private static NotSupportedException Unsupported(string path, string property, string? why = null) =>
        new($"{Capitalised(path)} has property '{property}', which the course's Figure does not support{(why is null ? "" : $" ({why})")}.");

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
