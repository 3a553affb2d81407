using System.Diagnostics;

namespace Course.Execution;

/// <summary>
/// The course's Debian 12 step for TorchSharp (tools/torchsharp/debian12-compat.sh): found and run. Shared as source by
/// the runner (<c>TorchSharpNative</c>) and the .NET Interactive kernel host, which cannot reference the runner.
/// </summary>
internal static class TorchSharpCompatScript
{
    /// <summary>The script's path inside the repository.</summary>
    public const string RelativePath = "tools/torchsharp/debian12-compat.sh";

    /// <summary>The script, found above the running program's folder (a build inside the repository) or the working folder.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, RelativePath))) return Path.Combine(folder.FullName, RelativePath);
        return null;
    }

    /// <summary>Runs <paramref name="script"/> on <paramref name="folders"/>; null when it succeeds, else what it printed.</summary>
    public static string? Run(string script, IEnumerable<string> folders)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var folder in folders) start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : (errors + output.Result).Trim();
    }
}
