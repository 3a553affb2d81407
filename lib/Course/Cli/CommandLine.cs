namespace Course.Cli;

/// <summary>
/// The parsed command line: a command, its positional paths and its options. Parsed by hand: four
/// commands with a handful of options do not need a parsing library.
/// </summary>
/// <param name="Command">"run", "check", "export" or "bench".</param>
/// <param name="Paths">Notebook files or folders given on the command line.</param>
/// <param name="OutputFolder">--out DIR (run): where executed notebooks and the site go; --to DIR (export): where the
/// file-based apps go.</param>
/// <param name="InPlace">--in-place (run): refresh the outputs in the source notebooks.</param>
/// <param name="Repeat">--repeat N (bench): how many measurements of each kind.</param>
/// <param name="OneCold">--one-cold (bench, internal): measure one cold first cell in this process and print it.</param>
/// <param name="CellTimeout">--cell-timeout DURATION (run, check): the longest one cell may run.</param>
/// <param name="AllowErrors">--allow-errors (run): continue after any failing cell, as nbconvert's flag.</param>
public sealed record CommandLine(string Command, IReadOnlyList<string> Paths, string? OutputFolder, bool InPlace, int Repeat, bool OneCold,
    TimeSpan CellTimeout, bool AllowErrors)
{
    /// <summary>--kernel NAME (run, check): the engine that executes the cells; the course's own by default.</summary>
    public Execution.NotebookKernel Kernel { get; init; } = Execution.NotebookKernel.Course;

    /// <summary>The text printed for --help and after usage errors.</summary>
    public const string Usage = """
        Usage: course <command> [options]

        Commands:
          run [paths...] [--out DIR] [--in-place] [--cell-timeout DURATION] [--allow-errors] [--kernel NAME]
                Execute notebooks (default: every notebooks/*.ipynb of the repository, in name order),
                write the executed copies to DIR/notebooks/ and the site to DIR/site/index.html
                (default DIR: <repository>/artifacts). --in-place also refreshes the source notebooks.
                --allow-errors continues after a failing cell (cells tagged raises-exception always may fail).
          check [paths...] [--cell-timeout DURATION] [--kernel NAME]
                Re-execute notebooks and compare each cell's fresh outputs with the stored ones.
          export [paths...] [--to DIR]
                Write each notebook as a .NET 10 file-based app, DIR/<notebook>.cs (default DIR:
                <repository>/artifacts/export), that `dotnet run DIR/<notebook>.cs` builds and runs, printing
                what the notebook's cells print. Nothing is written unless every notebook exports.
          bench [--repeat N]
                Measure the runner's latency: cold first cell (fresh process) and later simple cells.

        Paths are .ipynb files or folders holding them. --cell-timeout limits each code cell (default 10m;
        e.g. 90s, 10m, 1h, or seconds): a cell still running then fails, its notebook stops, and so does the
        command. Ctrl-C stops the same way and writes nothing for the notebook it interrupted.
        --kernel course (default) runs cells in the course's own engine; --kernel dotnet-interactive runs them in
        .NET Interactive's CSharpKernel (the kernel VS Code runs), in a process of its own, storing outputs the same way.
        Exit codes: 0 success, 1 a cell failed, outputs differ or a notebook cannot be exported, 2 wrong command line,
        130 interrupted.
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="UsageException">The arguments do not form a valid command.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new UsageException("No command given.");
        var command = args[0];
        if (command is not ("run" or "check" or "export" or "bench")) throw new UsageException($"Unknown command '{command}'.");
        var paths = new List<string>();
        string? outputFolder = null;
        var inPlace = false;
        var repeat = 5;
        var oneCold = false;
        var cellTimeout = Execution.RunOptions.DefaultCellTimeout;
        var allowErrors = false;
        var kernel = Execution.NotebookKernel.Course;
        for (var index = 1; index < args.Count; index++)
        {
            var arg = args[index];
            switch (arg)
            {
                case "--out" when command == "run":
                case "--to" when command == "export":
                    outputFolder = ValueOf(args, ref index, arg);
                    break;
                case "--in-place" when command == "run":
                    inPlace = true;
                    break;
                case "--repeat" when command == "bench":
                    var text = ValueOf(args, ref index, arg);
                    if (!int.TryParse(text, out repeat) || repeat < 1) throw new UsageException($"--repeat needs a positive whole number, not '{text}'.");
                    break;
                case "--one-cold" when command == "bench":
                    oneCold = true;
                    break;
                case "--cell-timeout" when command is "run" or "check":
                    cellTimeout = ParseDuration(ValueOf(args, ref index, arg), arg);
                    break;
                case "--allow-errors" when command == "run":
                    allowErrors = true;
                    break;
                case "--kernel" when command is "run" or "check":
                    var name = ValueOf(args, ref index, arg);
                    kernel = Execution.NotebookKernelNames.Parse(name)
                        ?? throw new UsageException($"--kernel needs '{Execution.NotebookKernelNames.Course}' or '{Execution.NotebookKernelNames.DotnetInteractive}', not '{name}'.");
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"Unknown option '{arg}' for '{command}'.");
                    if (command == "bench") throw new UsageException($"'bench' takes no paths (got '{arg}').");
                    paths.Add(arg);
                    break;
            }
        }
        return new CommandLine(command, paths, outputFolder, inPlace, repeat, oneCold, cellTimeout, allowErrors) { Kernel = kernel };
    }

    /// <summary>"90s", "10m", "1h", "1.5m" or plain seconds ("600"): a positive duration of at most a day.</summary>
    private static TimeSpan ParseDuration(string text, string option)
    {
        var (number, unit) = text.Length > 0 && char.IsLetter(text[^1]) ? (text[..^1], char.ToLowerInvariant(text[^1])) : (text, 's');
        var seconds = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, _ => double.NaN };
        if (double.IsNaN(seconds) || !double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || !(value > 0) || value * seconds > 86400)
            throw new UsageException($"{option} needs a positive duration of at most a day, such as 90s, 10m, 1h or 600 (seconds), not '{text}'.");
        return TimeSpan.FromSeconds(value * seconds);
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int index, string option)
    {
        if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException($"Option '{option}' needs a value.");
        return args[++index];
    }
}
