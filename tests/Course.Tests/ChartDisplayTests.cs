using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// A Plotly.NET or XPlot chart shown by a notebook (as a cell's value or through <c>display</c>) is stored exactly as
/// the equivalent course figure: the runner, which links neither library, formats it through the course's Figure.
/// </summary>
/// <remarks>
/// The notebooks run in the real command line, in a process of its own: this test host carries FsCheck's older
/// FSharp.Core, which the script loader would prefer over the one Plotly.NET needs (see <see cref="LibraryIsolationTests"/>).
/// </remarks>
public sealed class ChartDisplayTests : IDisposable
{
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private readonly string _folder = TestFolders.NewScratch("charts");

    /// <summary>The bridge library a lesson references; built in Release with the runner (Course.csproj references it).</summary>
    private static string BridgeDllPath =>
        Path.GetFullPath(Path.Combine(TestFolders.RepositoryRoot, "lib/Generative.PlotlyNet/bin/Release/net10.0/Generative.PlotlyNet.dll"));

    private async Task<NotebookDocument> RunWithLibrariesAsync(params string[] cells)
    {
        var library = await LessonLibrary.EnsureBuiltAsync();
        Assert.True(File.Exists(BridgeDllPath), $"{BridgeDllPath} is missing; building lib/Course builds it.");
        string[] references =
        [
            $"#r \"{library}\"\n#r \"{BridgeDllPath}\"\n#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"",
            "using Generative.Plotting;\nusing Plotly.NET.CSharp;\ndouble[] xs = [0, 1, 2, 3], ys = [1, 0.5, 2, 1.5];",
        ];
        var (exitCode, log, notebook) = await RunInCourseProcessAsync("charts.ipynb", [.. references, .. cells]);
        Assert.True(exitCode == 0, log);
        return notebook;
    }

    /// <summary>Runs the cells with <c>course run</c> and reads back the notebook it stored.</summary>
    private async Task<(int ExitCode, string Log, NotebookDocument Notebook)> RunInCourseProcessAsync(string name, params string[] cells)
    {
        var path = Path.Combine(_folder, name);
        var output = Path.Combine(_folder, "out");
        NotebookWriter.Write(TestNotebooks.FromCode(cells), path);
        var (exitCode, stdout, stderr) = await CourseProcess.RunAsync(_folder, "run", path, "--out", output);
        var notebook = NotebookReader.Read(Path.Combine(output, "notebooks", name));
        var errors = notebook.CodeCells.SelectMany(cell => cell.Outputs).OfType<ErrorOutput>().Select(error => $"{error.EName}: {error.EValue}");
        return (exitCode, string.Join("\n", [stdout, stderr, .. errors]), notebook);
    }

    private static IReadOnlyList<NotebookOutput> OutputsOf(NotebookDocument notebook, int codeIndex) => notebook.CodeCells.ElementAt(codeIndex).Outputs;

    [Fact]
    public async Task RunAsync_PlotlyNetChartAsValueAndDisplayed_StoredAsTheEquivalentFigure()
    {
        var notebook = await RunWithLibrariesAsync(
            "Chart.Line<double, double, string>(xs, ys, Name: \"curve\").WithSize(640, 420)",
            "display(Chart.Line<double, double, string>(xs, ys, Name: \"curve\").WithSize(640, 420));",
            "Plot.Line(xs, ys, \"curve\").WithSize(640, 420)");

        var figure = Assert.IsType<ExecuteResultOutput>(Assert.Single(OutputsOf(notebook, 4))).Data;
        var chartValue = Assert.IsType<ExecuteResultOutput>(Assert.Single(OutputsOf(notebook, 2))).Data;
        var chartDisplayed = Assert.IsType<DisplayDataOutput>(Assert.Single(OutputsOf(notebook, 3))).Data;
        Assert.Equal(["image/svg+xml", "text/html", "text/plain"], chartValue.Keys.Order());
        Assert.Contains("class=\"gen-plotly-spec\"", chartValue["text/html"]);
        Assert.Equal(figure, chartValue);
        Assert.Equal(figure, chartDisplayed);
    }

    [Fact]
    public async Task RunAsync_XPlotChart_StoredAsTheEquivalentFigure()
    {
        // XPlot with the dependencies a restore would put beside it (Json.NET, FSharp.Core: the bridge's copies, which the
        // library build makes; on a clean clone nothing may have built it yet).
        await LessonLibrary.EnsureBuiltAsync();
        var xplotFolder = Directory.CreateDirectory(Path.Combine(_folder, "xplot")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "xplot", "XPlot.Plotly.dll"), Path.Combine(xplotFolder, "XPlot.Plotly.dll"));
        foreach (var dependency in new[] { "Newtonsoft.Json.dll", "FSharp.Core.dll" })
            File.Copy(Path.Combine(Path.GetDirectoryName(BridgeDllPath)!, dependency), Path.Combine(xplotFolder, dependency));
        var xplot = Path.Combine(xplotFolder, "XPlot.Plotly.dll");
        // Nothing uses the course library before the chart is shown, so the runner must find it among the #r paths.
        var notebook = await RunWithLibrariesAsync(
            $"#r \"{xplot}\"",
            "var chart = XPlot.Plotly.Chart.Plot(new XPlot.Plotly.Scatter { x = xs, y = ys, mode = \"lines+markers\", name = \"curve\" });\n" +
            "chart.WithLayout(new XPlot.Plotly.Layout.Layout { title = \"XPlot\", width = 640, height = 420 });\nchart",
            "new Figure(new ScatterTrace(xs, ys, ScatterMode.LinesAndMarkers) { Name = \"curve\" }).WithTitle(\"XPlot\").WithSize(640, 420)");

        var figure = Assert.IsType<ExecuteResultOutput>(Assert.Single(OutputsOf(notebook, 4))).Data;
        var chart = Assert.IsType<ExecuteResultOutput>(Assert.Single(OutputsOf(notebook, 3))).Data;
        Assert.Contains("<svg", chart["image/svg+xml"]);
        Assert.Equal(figure, chart);
    }

    [Fact]
    public async Task RunAsync_PlotlyNetRestoredAloneBeforeTheLibrary_StoredAsTheEquivalentFigure()
    {
        // A learner's notebook that asks for Plotly.NET and nothing else: FSharp.Core comes from the restore (not from
        // beside a referenced library) and the chart is drawn by the course's own build of the library.
        var library = await LessonLibrary.EnsureBuiltAsync();
        var (exitCode, log, notebook) = await RunInCourseProcessAsync("alone.ipynb",
            "#r \"nuget: Plotly.NET.CSharp, 0.14.0\"",
            "using Plotly.NET.CSharp;\nChart.Line<double, double, string>(new double[] { 0, 1, 2, 3 }, new double[] { 1, 0.5, 2, 1.5 }, Name: \"curve\").WithSize(640, 420)",
            $"#r \"{library}\"\nGenerative.Plotting.Plot.Line([0.0, 1, 2, 3], [1, 0.5, 2, 1.5], \"curve\").WithSize(640, 420)");

        Assert.True(exitCode == 0, log);
        var chart = Assert.IsType<ExecuteResultOutput>(Assert.Single(OutputsOf(notebook, 1))).Data;
        var figure = Assert.IsType<ExecuteResultOutput>(Assert.Single(OutputsOf(notebook, 2))).Data;
        Assert.Contains("<svg", chart["image/svg+xml"]);
        Assert.Equal(figure, chart);
    }

    [Fact]
    public async Task RunAsync_PlotlyNetSurface_ErrorNamesTheTraceType()
    {
        var library = await LessonLibrary.EnsureBuiltAsync();
        var (_, _, notebook) = await RunInCourseProcessAsync("surface.ipynb",
            $"#r \"{library}\"\n#r \"{BridgeDllPath}\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"",
            "Plotly.NET.CSharp.Chart.Surface<double, double, double, string>(new[] { new[] { 1.0, 2 }, new[] { 3.0, 4 } })");

        var error = Assert.IsType<ErrorOutput>(Assert.Single(OutputsOf(notebook, 1)));
        Assert.Contains("'surface'", error.EValue);
    }
}
