using Course.Cli;
using Course.Notebooks;
using Generative.Notebook;

namespace Course.Execution;

/// <summary>
/// Formats a value into a mime bundle by the convention .NET Interactive uses (<see cref="FormatterConvention"/>: a
/// <c>TypeFormatterSourceAttribute</c> names the formatters of a type, found by reflection, so the runner never links
/// the library's types), with text/plain from <see cref="PlainTextFormatter"/> where no formatter writes it.
/// Both are compiled in from lib/Generative as source (see Course.csproj), which is how a lesson exported by
/// <c>course export</c> prints exactly the text/plain a notebook stores.
/// </summary>
public static class ConventionFormatter
{
    /// <summary>The mime bundle of <paramref name="value"/>.</summary>
    /// <param name="value">The value to format.</param>
    /// <param name="referencedAssemblyPaths">What the notebook referenced with #r: a Plotly.NET or XPlot chart is drawn by
    /// the course library found there when the notebook has not loaded it yet, else by the course's own build of it.</param>
    /// <exception cref="InvalidOperationException">A formatter source or formatter does not follow the convention.</exception>
    public static MimeBundle Format(object? value, IEnumerable<string>? referencedAssemblyPaths = null) =>
        new(FormatterConvention.Format(value, libraryCandidates: (referencedAssemblyPaths ?? []).Concat(CourseLibrary.Value)));

    /// <summary>
    /// The library built beside this runner (lib/Generative/bin/Release/net10.0/Generative.dll, which the runner's project
    /// builds), so that a notebook that only uses Plotly.NET still gets its charts drawn as the course draws figures.
    /// </summary>
    private static readonly Lazy<string[]> CourseLibrary = new(() =>
        RepositoryRoot.TryFind(AppContext.BaseDirectory) is { } root
            ? [Path.Combine(root, "lib", "Generative", "bin", "Release", "net10.0", "Generative.dll")]
            : []);
}
