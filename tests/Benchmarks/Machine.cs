namespace Generative.Benchmarks;

/// <summary>What a benchmark table says about the machine it ran on.</summary>
internal static class Machine
{
    /// <summary>The CPU model from /proc/cpuinfo, or "unknown CPU" where there is none.</summary>
    public static string CpuName()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return model?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
