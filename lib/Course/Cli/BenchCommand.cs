using System.Diagnostics;
using System.Globalization;
using Course.Execution;

namespace Course.Cli;

/// <summary>
/// <c>course bench</c>: measures the runner's latency. A cold first cell needs a fresh process
/// (JIT, Roslyn and the library all load for the first time), so bench starts itself with
/// <c>bench --one-cold</c> several times; that child runs a lesson's first cell (#r of the
/// library and a using) and prints its time. Later simple cells are measured in this process
/// after a warm-up, as a learner meets them.
/// </summary>
public static class BenchCommand
{
    /// <summary>The first cell of every lesson, from a notebook in notebooks/.</summary>
    public const string FirstCell = "#r \"../lib/Generative/bin/Release/net10.0/Generative.dll\"\nusing Generative;\n";

    /// <summary>A typical small later cell.</summary>
    public const string SimpleCell = "var x = 1 + 1;\nx";

    /// <summary>Runs the benchmark; prints the table to <paramref name="output"/>.</summary>
    public static async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output)
    {
        var root = RepositoryRoot.Find(Environment.CurrentDirectory);
        var library = Path.Combine(root, "lib", "Generative", "bin", "Release", "net10.0", "Generative.dll");
        if (!File.Exists(library))
            throw new UsageException($"The library is not built: '{library}' is missing. Run 'dotnet build -c Release lib/Generative' first.");
        var notebookPath = Path.Combine(root, "notebooks", "bench.ipynb");

        if (commandLine.OneCold)
        {
            var elapsed = await MeasureFirstCellAsync(new NotebookSession(notebookPath));
            output.WriteLine(elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture));
            return 0;
        }

        var coldCell = new List<double>();
        var coldProcess = new List<double>();
        for (var run = 0; run < commandLine.Repeat; run++)
        {
            var (cellMs, processMs) = await RunColdChildAsync(root);
            coldCell.Add(cellMs);
            coldProcess.Add(processMs);
        }

        var session = new NotebookSession(notebookPath);
        await MeasureFirstCellAsync(session);
        var simple = new List<double>();
        // A few unmeasured cells first: the first ContinueWith JIT-compiles Roslyn's continuation path.
        for (var run = 0; run < 3 + commandLine.Repeat * 4; run++)
        {
            var execution = await session.ExecuteAsync(SimpleCell, run + 2, run + 2);
            if (!execution.Succeeded) throw new InvalidOperationException($"The benchmark's simple cell failed: {execution.Outputs.LastOrDefault()}");
            if (run >= 3) simple.Add(execution.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"{"measurement",-44} {"n",3} {"median",9} {"min",9} {"max",9}");
        Row(output, "cold first cell (#r library + using), in cell", coldCell);
        Row(output, "cold process (start to exit, incl. the cell)", coldProcess);
        Row(output, "later simple cell (var x = 1 + 1; x)", simple);
        return 0;
    }

    private static async Task<TimeSpan> MeasureFirstCellAsync(NotebookSession session)
    {
        var execution = await session.ExecuteAsync(FirstCell, 1, 1);
        if (!execution.Succeeded) throw new InvalidOperationException($"The benchmark's first cell failed: {execution.Outputs.LastOrDefault()}");
        return execution.Elapsed;
    }

    private static async Task<(double CellMs, double ProcessMs)> RunColdChildAsync(string root)
    {
        var start = new ProcessStartInfo { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        // Under `dotnet course.dll` the process is dotnet itself and needs the assembly path first.
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which executable is running.");
        start.FileName = processPath;
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet") start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        foreach (var arg in (string[])["bench", "--one-cold"]) start.ArgumentList.Add(arg);
        var stopwatch = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{processPath}'.");
        var stdout = await child.StandardOutput.ReadToEndAsync();
        var stderr = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        var processMs = stopwatch.Elapsed.TotalMilliseconds;
        if (child.ExitCode != 0 || !double.TryParse(stdout.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var cellMs))
            throw new InvalidOperationException($"The cold-start child process failed (exit {child.ExitCode}): {stdout}{stderr}");
        return (cellMs, processMs);
    }

    private static void Row(TextWriter output, string name, List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} {sorted.Count,3} {median,6:F1} ms {sorted[0],6:F1} ms {sorted[^1],6:F1} ms"));
    }
}
