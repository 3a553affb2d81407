using Course.Cli;

namespace Course.Tests;

/// <summary>Locations the tests use: the repository, the shared fixtures beside it, and scratch folders.</summary>
internal static class TestFolders
{
    /// <summary>The repository root, found from the test assembly's folder upwards.</summary>
    public static string RepositoryRoot =>
        Cli.RepositoryRoot.TryFind(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"The tests must run inside the course repository (no {Cli.RepositoryRoot.SolutionFileName} above {AppContext.BaseDirectory}).");

    /// <summary>The Polyglot notebooks written by VS Code (dotnet/csharp-notebooks) used as a conformance suite; outside the repository.</summary>
    public static string FixturesFolder => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "csharp-notebooks"));

    /// <summary>The course's lessons.</summary>
    public static string NotebooksFolder => Path.Combine(RepositoryRoot, "notebooks");

    /// <summary>A new empty folder under the system temp folder, unique to the caller.</summary>
    public static string NewScratch(string purpose)
    {
        var folder = Path.Combine(Path.GetTempPath(), "course-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
