using Course.Cli;

// The course's command line: `run`, `check` and `bench` (see CommandLine.Usage).
// Exit codes: 0 success, 1 a cell failed / outputs differ / a notebook could not be processed, 2 usage error.
if (args is ["--help"] or ["-h"] or ["help"])
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

// Notebook cells redirect Console while they run; progress goes to the real stdout.
var output = Console.Out;
try
{
    var commandLine = CommandLine.Parse(args);
    return commandLine.Command switch
    {
        "run" => await RunCommand.ExecuteAsync(commandLine, output),
        "check" => await CheckCommand.ExecuteAsync(commandLine, output),
        _ => await BenchCommand.ExecuteAsync(commandLine, output),
    };
}
catch (UsageException exception)
{
    Console.Error.WriteLine($"course: {exception.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}
catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"course: error: {exception.Message}");
    return 1;
}
