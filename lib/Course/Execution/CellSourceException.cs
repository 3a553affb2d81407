namespace Course.Execution;

/// <summary>
/// A problem found in a cell's source before it runs (an unsupported magic command, a NuGet
/// package that cannot be restored or loaded). Becomes the cell's error output.
/// </summary>
public sealed class CellSourceException(string errorName, CellLocation location, string problem)
    : Exception($"{location}: {problem}")
{
    /// <summary>The error output's ename, e.g. "UnsupportedMagicCommand".</summary>
    public string ErrorName { get; } = errorName;

    /// <summary>Where the problem is.</summary>
    public CellLocation Location { get; } = location;

    /// <summary>What the problem is, without the location.</summary>
    public string Problem { get; } = problem;
}
