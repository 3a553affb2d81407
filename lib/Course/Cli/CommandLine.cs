namespace Course.Cli;

/// <summary>
/// The parsed command line: a command, its positional paths and its options. Parsed by hand: three
/// commands with a handful of options do not need a parsing library.
/// </summary>
/// <param name="Command">"run", "check" or "bench".</param>
/// <param name="Paths">Notebook files or folders given on the command line.</param>
/// <param name="OutputFolder">--out DIR (run): where executed notebooks and the site go.</param>
/// <param name="InPlace">--in-place (run): refresh the outputs in the source notebooks.</param>
/// <param name="Repeat">--repeat N (bench): how many measurements of each kind.</param>
/// <param name="OneCold">--one-cold (bench, internal): measure one cold first cell in this process and print it.</param>
public sealed record CommandLine(string Command, IReadOnlyList<string> Paths, string? OutputFolder, bool InPlace, int Repeat, bool OneCold)
{
    /// <summary>The text printed for --help and after usage errors.</summary>
    public const string Usage = """
        Usage: course <command> [options]

        Commands:
          run [paths...] [--out DIR] [--in-place]
                Execute notebooks (default: every notebooks/*.ipynb of the repository, in name order),
                write the executed copies to DIR/notebooks/ and the site to DIR/site/index.html
                (default DIR: <repository>/artifacts). --in-place also refreshes the source notebooks.
          check [paths...]
                Re-execute notebooks and compare each cell's fresh outputs with the stored ones.
          bench [--repeat N]
                Measure the runner's latency: cold first cell (fresh process) and later simple cells.

        Paths are .ipynb files or folders holding them. Exit codes: 0 success, 1 a cell failed or
        outputs differ, 2 wrong command line.
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="UsageException">The arguments do not form a valid command.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new UsageException("No command given.");
        var command = args[0];
        if (command is not ("run" or "check" or "bench")) throw new UsageException($"Unknown command '{command}'.");
        var paths = new List<string>();
        string? outputFolder = null;
        var inPlace = false;
        var repeat = 5;
        var oneCold = false;
        for (var index = 1; index < args.Count; index++)
        {
            var arg = args[index];
            switch (arg)
            {
                case "--out" when command == "run":
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
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"Unknown option '{arg}' for '{command}'.");
                    if (command == "bench") throw new UsageException($"'bench' takes no paths (got '{arg}').");
                    paths.Add(arg);
                    break;
            }
        }
        return new CommandLine(command, paths, outputFolder, inPlace, repeat, oneCold);
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int index, string option)
    {
        if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException($"Option '{option}' needs a value.");
        return args[++index];
    }
}
