namespace Generative.Tests;

/// <summary>
/// Tests that measure process-wide memory or the shared array pool: they run alone, after the parallel tests, since
/// any other test allocating meanwhile would show up in their measurements.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresProcessMemoryCollection
{
    public const string Name = "Measures process memory";
}
