using System.Diagnostics;

namespace Course.Tests;

/// <summary>Runs a shell command line the way a learner would type it, capturing its output.</summary>
internal static class ShellCommand
{
    /// <summary>Runs <paramref name="command"/> with bash in <paramref name="workingDirectory"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string command, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
