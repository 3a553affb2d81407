using System.Diagnostics;

namespace Generative.Tests;

/// <summary>
/// Debian's python3 (/usr/bin/python3, where apt installs python3-torch), used as an independent reference. A
/// pyenv python3 earlier on PATH would lack the apt packages, hence the fixed path.
/// </summary>
internal static class DebianPython
{
    public const string Path = "/usr/bin/python3";

    /// <summary>Runs <see cref="Path"/> -c <paramref name="code"/> with <paramref name="args"/>; returns its exit code and stderr.</summary>
    public static (int ExitCode, string Error) Run(string code, params string[] args)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(); // drained so a chatty script cannot block on a full pipe
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = output.Result;
        return (process.ExitCode, error);
    }

    /// <summary>Why <paramref name="imports"/> cannot be imported (naming <paramref name="what"/> and how to get it), or null.</summary>
    public static string? WhyUnavailable(string imports, string what, string howToInstall)
    {
        if (!File.Exists(Path)) return $"{what} is not available: there is no {Path} ({howToInstall}).";
        var (exitCode, error) = Run(imports);
        return exitCode == 0 ? null : $"{what} is not available: '{Path} -c \"{imports}\"' failed ({error.Trim().Split('\n')[^1]}); {howToInstall}.";
    }
}
