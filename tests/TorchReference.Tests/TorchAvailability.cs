using TorchSharp;

namespace TorchReference.Tests;

/// <summary>
/// Whether TorchSharp's native libraries load on this machine, and if not, why. The reference tests skip with that
/// reason on a learner's machine; CI sets COURSE_REQUIRE_PREREQUISITES=1, and then a TorchSharp that does not load
/// fails every test with the same reason instead.
/// </summary>
internal static class TorchAvailability
{
    private static readonly Lazy<string?> Failure = new(Probe);

    /// <summary>Null when TorchSharp works here; otherwise what went wrong and what to do.</summary>
    public static string? Reason => Failure.Value;

    public static bool Required => Environment.GetEnvironmentVariable("COURSE_REQUIRE_PREREQUISITES") == "1";

    private static string? Probe()
    {
        try
        {
            using var probe = torch.ones(2, 2).matmul(torch.ones(2, 2));
            return probe.sum().item<float>() == 8f ? null : "TorchSharp loaded but computed a wrong 2x2 product";
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            return "TorchSharp's native libraries do not load on this machine (" + Innermost(e).Message.Trim() + "). " +
                   "On Debian 12 run tools/torchsharp/debian12-compat.sh on the build output (the build does it when " +
                   "patchelf and g++ are installed: sudo apt-get install patchelf g++); docs/packages.md explains.";
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
