using System.Runtime.InteropServices;
using Course.Cli;

// The course's command line: `run`, `check`, `export` and `bench` (see CommandLine.Usage).
// Exit codes: 0 success, 1 a cell failed / outputs differ / a notebook could not be processed or exported, 2 usage error.
if (args is ["--help"] or ["-h"] or ["help"])
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

// Notebook cells redirect Console while they run (and a cell abandoned still running leaves it silenced); progress
// and errors go to the real stdout and stderr, captured here.
var output = Console.Out;
var errors = Console.Error;

// Ctrl-C (SIGINT) or SIGTERM: the running cell is abandoned, nothing more is written, and the command exits with 130.
// A second signal is left to the default handler, which ends the process at once.
using var interrupt = new CancellationTokenSource();
PosixSignalRegistration? OnSignal(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
{
    if (interrupt.IsCancellationRequested) return;
    context.Cancel = true;
    errors.WriteLine($"course: {signal} received: abandoning the running cell; nothing more is written (send it again to end at once).");
    interrupt.Cancel();
});
using var onInterrupt = OnSignal(PosixSignal.SIGINT);
using var onTerminate = OnSignal(PosixSignal.SIGTERM);

try
{
    var commandLine = CommandLine.Parse(args);
    return commandLine.Command switch
    {
        "run" => await RunCommand.ExecuteAsync(commandLine, output, interrupt.Token),
        "check" => await CheckCommand.ExecuteAsync(commandLine, output, interrupt.Token),
        "export" => ExportCommand.Execute(commandLine, output),
        _ => await BenchCommand.ExecuteAsync(commandLine, output),
    };
}
catch (UsageException exception)
{
    errors.WriteLine($"course: {exception.Message}");
    errors.WriteLine();
    errors.WriteLine(CommandLine.Usage);
    return 2;
}
catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
{
    errors.WriteLine($"course: error: {exception.Message}");
    return 1;
}
