using System.Diagnostics;

namespace Generative.Benchmarks;

/// <summary>
/// Runs one of the peer scripts in peer/ (PyTorch or numpy over OpenBLAS, the measurements ours are compared with) and
/// hands each of its result lines to the caller. A script prints one "# description" line and result lines made of
/// space-separated fields.
/// </summary>
internal static class PeerScript
{
    /// <summary>Runs peer/<paramref name="scriptName"/> with <paramref name="arguments"/>; returns its description and, if it failed, why.</summary>
    /// <param name="onResultLine">Called with the fields of every line that is not a description.</param>
    /// <param name="installHint">What to install when the script fails, e.g. "apt-get install -y python3-torch".</param>
    public static (string? Description, string? Problem) Run(string scriptName, IEnumerable<string> arguments,
        Action<string[]> onResultLine, string installHint)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peer", scriptName));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Set on some machines to keep old OpenBLAS builds off kernels they get wrong; they slow a current one.
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        string? description = null;
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith('#'))
                {
                    description = line.TrimStart('#', ' ');
                    continue;
                }
                onResultLine(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var message = errors.Result.Trim().Split('\n').LastOrDefault() ?? "";
                return (description, $"peer exited with {process.ExitCode}: {message} (install: {installHint})");
            }
            return (description, null);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (description, $"{python} not found ({e.Message})");
        }
    }
}
