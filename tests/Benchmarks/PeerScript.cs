using System.Diagnostics;
using System.Runtime.Intrinsics.X86;

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
    /// <param name="coreType">OPENBLAS_CORETYPE for the script, or null to let OpenBLAS pick its kernel.</param>
    public static (string? Description, string? Problem) Run(string scriptName, IEnumerable<string> arguments,
        Action<string[]> onResultLine, string installHint, string? coreType = null)
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
        // A caller's own settings would decide the peer's kernel (these machines export OPENBLAS_CORETYPE=Haswell and
        // OPENBLAS_L2_SIZE=512); the drivers try the kernels themselves (RunEachKernel).
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        if (coreType is not null)
        {
            start.Environment["OPENBLAS_CORETYPE"] = coreType;
        }
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

    /// <summary>
    /// Runs the script with the kernel OpenBLAS picks, then once more with each other kernel this CPU can run
    /// (OPENBLAS_CORETYPE=SkylakeX with AVX-512, Haswell with AVX2 and FMA), handing every result line to
    /// <paramref name="onResultLine"/> with the kernel it came from: OpenBLAS 0.3.21 picks a slower kernel than it could
    /// on some CPUs (Prescott on some Intel Xeons, 2-3x slower than SkylakeX), and a peer must run at its best. On this
    /// AMD EPYC it picks Cooperlake, as fast as SkylakeX (VAE 305 steps/s against 213 with Haswell, 2026-12-02). The
    /// description names the kernels tried, the detected one first.
    /// </summary>
    public static (string? Description, string? Problem) RunEachKernel(string scriptName, IEnumerable<string> arguments,
        Action<string, string[]> onResultLine, string installHint)
    {
        var argumentList = arguments.ToList();
        string? detectedKernel = null;
        var (description, problem) = Run(scriptName, argumentList, fields => onResultLine(detectedKernel ?? "detected", fields), installHint);
        if (problem is not null)
        {
            return (description, problem);
        }
        detectedKernel = KernelOf(description);
        var tried = new List<string> { $"{detectedKernel ?? "unknown"} (OpenBLAS's choice)" };
        foreach (var coreType in CandidateCoreTypes().Where(c => !string.Equals(c, detectedKernel, StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine($"  peer: again with OPENBLAS_CORETYPE={coreType}");
            var (forced, forcedProblem) = Run(scriptName, argumentList, fields => onResultLine(coreType, fields), installHint, coreType);
            tried.Add(forcedProblem is null ? KernelOf(forced) ?? coreType : $"{coreType} (failed: {forcedProblem})");
        }
        return ($"{description}; OpenBLAS kernels tried: {string.Join(", ", tried)}", null);
    }

    /// <summary>The "kernel=NAME" a peer's description reports (its OpenBLAS core), or null.</summary>
    private static string? KernelOf(string? description)
    {
        var at = description?.IndexOf("kernel=", StringComparison.Ordinal) ?? -1;
        return at < 0 ? null : new string(description![(at + "kernel=".Length)..].TakeWhile(char.IsLetterOrDigit).ToArray());
    }

    /// <summary>OpenBLAS cores this CPU can run that beat the generic ones (none off x86).</summary>
    private static IEnumerable<string> CandidateCoreTypes()
    {
        if (Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported)
        {
            yield return "SkylakeX";
        }
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            yield return "Haswell";
        }
    }
}
