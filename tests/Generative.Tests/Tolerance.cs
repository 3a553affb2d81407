namespace Generative.Tests;

/// <summary>Named tolerances, each with the reason for its size.</summary>
internal static class Tolerance
{
    /// <summary>A closed form evaluated in a different (algebraically equal) order: a few ulps of values of order 1-100.</summary>
    public const double ClosedForm = 1e-12;

    /// <summary>Sums of up to a few thousand probabilities, each rounded once: error grows like n * 2^-53.</summary>
    public const double ExhaustiveSum = 1e-12;

    /// <summary>Sample statistics may deviate from their expectation by this many standard errors; for a fixed seed
    /// the test is deterministic, and 4 SE leaves room for the seed not being special (two-sided p about 6e-5).</summary>
    public const double StandardErrors = 4.0;

    /// <summary>Numerical integration or differentiation with the step sizes used in the tests.</summary>
    public const double Numerical = 1e-6;
}
