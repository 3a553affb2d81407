namespace Course.Cli;

/// <summary>Finds the course repository: the nearest folder, from a start folder upwards, that holds GenerativeCourse.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>The solution file that marks the root.</summary>
    public const string SolutionFileName = "GenerativeCourse.sln";

    /// <summary>The root above <paramref name="startFolder"/>, or null when there is none.</summary>
    public static string? TryFind(string startFolder)
    {
        for (var folder = new DirectoryInfo(Path.GetFullPath(startFolder)); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, SolutionFileName))) return folder.FullName;
        return null;
    }

    /// <summary>The root above <paramref name="startFolder"/>.</summary>
    /// <exception cref="UsageException">No folder from <paramref name="startFolder"/> upwards holds the solution.</exception>
    public static string Find(string startFolder) =>
        TryFind(startFolder) ?? throw new UsageException(
            $"No {SolutionFileName} in '{Path.GetFullPath(startFolder)}' or any folder above it: run the command inside the course repository, or pass notebook paths and --out.");
}
