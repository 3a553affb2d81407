using System.Reflection;

namespace Generative.Notebook;

/// <summary>
/// Shows a Plotly.NET <c>GenericChart</c> (Plotly.NET.CSharp charts are the same type) or an XPlot <c>PlotlyChart</c>
/// as the course's own <c>Generative.Plotting.Figure</c>: the chart's figure JSON, taken through the library's own
/// API, is read by <c>Figure.FromJson</c>, so the chart gets the course's static SVG and its plotly.js HTML like any
/// course figure. Everything here is by name and reflection: neither the runner nor the library links Plotly.NET or
/// XPlot (in VS Code the charts keep their own formatters; this runs only where <see cref="FormatterConvention"/> does).
/// </summary>
/// <remarks>Shared as source with the course runner, like <see cref="FormatterConvention"/>.</remarks>
internal static class ForeignCharts
{
    /// <summary>Plotly.NET's chart type; Plotly.NET.CSharp returns it too.</summary>
    public const string PlotlyNetChart = "Plotly.NET.GenericChart";

    /// <summary>XPlot.Plotly's chart type.</summary>
    public const string XPlotChart = "XPlot.Plotly.PlotlyChart";

    /// <summary>The course figure type charts become, found in the loaded Generative assembly.</summary>
    public const string CourseFigure = "Generative.Plotting.Figure";

    /// <summary>
    /// The course <c>Figure</c> that draws <paramref name="value"/> when it is a Plotly.NET or XPlot chart; null for any
    /// other value.
    /// </summary>
    /// <exception cref="InvalidOperationException">No Generative library is loaded to draw the chart.</exception>
    /// <exception cref="NotSupportedException">The chart has a trace or property the course cannot draw (named).</exception>
    /// <param name="value">Any value.</param>
    /// <param name="libraryCandidates">Paths the notebook referenced, where Generative.dll may be found when it is not loaded yet.</param>
    public static object? ToCourseFigure(object? value, IEnumerable<string>? libraryCandidates = null)
    {
        if (value is null) return null;
        var json = FigureJson(value);
        if (json is null) return null;
        var fromJson = FindFromJson(libraryCandidates)
            ?? throw new InvalidOperationException(
                $"A {value.GetType().FullName} is drawn by the course's Figure, but no Generative library is loaded: reference Generative.dll with #r before showing the chart.");
        try
        {
            return fromJson.Invoke(null, [json]);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }

    /// <summary>The plotly.js figure JSON of a Plotly.NET or XPlot chart, or null when <paramref name="value"/> is neither.</summary>
    public static string? FigureJson(object value)
    {
        var type = value.GetType();
        if (BaseNamed(type, PlotlyNetChart) is { } chartType) return PlotlyNetFigureJson(value, chartType);
        if (BaseNamed(type, XPlotChart) is not null) return XPlotFigureJson(value);
        return null;
    }

    /// <summary>Plotly.NET's own <c>GenericChart.toFigureJson(chart)</c>.</summary>
    private static string PlotlyNetFigureJson(object chart, Type chartType)
    {
        var toFigureJson = chartType.GetMethod("toFigureJson", BindingFlags.Public | BindingFlags.Static, [chartType])
            ?? throw new InvalidOperationException($"{PlotlyNetChart} has no static toFigureJson({PlotlyNetChart}); this Plotly.NET version is not supported (6.0.0 is).");
        return Invoke(toFigureJson, null, chart);
    }

    /// <summary>
    /// XPlot's own serialisation: <c>GetPlottingJS()</c> writes <c>var data = [...];</c> and <c>var layout = {...};</c>
    /// (a layout of <c>""</c> when none was set). Its JSON comes from Json.NET, which escapes line breaks inside strings,
    /// so each value ends at the first semicolon that ends a line.
    /// </summary>
    private static string XPlotFigureJson(object chart)
    {
        var plottingJs = chart.GetType().GetMethod("GetPlottingJS", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{XPlotChart} has no GetPlottingJS(); this XPlot version is not supported (4.1.0 is).");
        var script = Invoke(plottingJs, chart).Replace("\r\n", "\n");
        var data = Assignment(script, "data");
        var layout = Assignment(script, "layout");
        return $"{{\"data\":{data},\"layout\":{(layout == "\"\"" ? "{}" : layout)}}}";
    }

    private static string Assignment(string script, string variable)
    {
        var marker = $"var {variable} = ";
        var start = script.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : script.IndexOf(";\n", start, StringComparison.Ordinal);
        if (start < 0 || end < 0)
            throw new InvalidOperationException($"XPlot's GetPlottingJS() has no `{marker}...;` line; this XPlot version is not supported (4.1.0 is).");
        return script[(start + marker.Length)..end].Trim();
    }

    private static string Invoke(MethodInfo method, object? target, params object[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments) as string
                ?? throw new InvalidOperationException($"{method.DeclaringType?.FullName}.{method.Name} returned no text.");
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }

    private static Type? BaseNamed(Type type, string fullName)
    {
        for (var current = type; current is not null; current = current.BaseType)
            if (current.FullName == fullName) return current;
        return null;
    }

    /// <summary>
    /// <c>Figure.FromJson</c> of the Generative assembly loaded last (a notebook's own <c>#r</c> comes after anything the
    /// host loaded), else of the <c>Generative.dll</c> among <paramref name="libraryCandidates"/>; null when there is none.
    /// </summary>
    private static MethodInfo? FindFromJson(IEnumerable<string>? libraryCandidates) =>
        FromJsonOf(AppDomain.CurrentDomain.GetAssemblies().Where(assembly => assembly.GetName().Name == "Generative"))
        ?? FromJsonOf((libraryCandidates ?? []).Where(path => Path.GetFileName(path) == "Generative.dll" && File.Exists(path)).Select(LoadIsolated));

    private static MethodInfo? FromJsonOf(IEnumerable<Assembly> assemblies) =>
        assemblies
            .Select(assembly => assembly.GetType(CourseFigure)?.GetMethod("FromJson", BindingFlags.Public | BindingFlags.Static, [typeof(string)]))
            .LastOrDefault(method => method is not null);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Assembly> IsolatedByPath = new();

    /// <summary>
    /// Loads a referenced Generative.dll that the notebook has not loaded yet (a script loads a #r'd assembly only when
    /// code first uses it, so a cell may show a chart before anything touched the library). It goes into a load context of
    /// its own, never the default one, so the notebook's later use of the library still binds to its own #r.
    /// </summary>
    private static Assembly LoadIsolated(string path) =>
        IsolatedByPath.GetOrAdd(Path.GetFullPath(path), fullPath => new IsolatedLibraryContext(fullPath).LoadFromAssemblyPath(fullPath));

    /// <summary>A load context that resolves a library's dependencies from its own folder, as its .deps.json lists them.</summary>
    private sealed class IsolatedLibraryContext(string libraryPath) : System.Runtime.Loader.AssemblyLoadContext($"course figures for charts: {libraryPath}")
    {
        private readonly System.Runtime.Loader.AssemblyDependencyResolver _resolver = new(libraryPath);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } dependency ? LoadFromAssemblyPath(dependency) : null;
    }
}
