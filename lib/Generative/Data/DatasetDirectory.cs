using System.Reflection;

namespace Generative.Data;

/// <summary>
/// Finds the repository's <c>datasets/</c> folder: the <c>GENERATIVE_DATASETS</c> environment variable if set,
/// else the first ancestor (of the library's own location, the app's base directory, or the current directory)
/// that contains <c>datasets/fashion-mnist/SHA256SUMS</c>. Notebooks reference the library inside the repository,
/// so walking up from it finds the folder wherever the notebook runs.
/// </summary>
internal static class DatasetDirectory
{
    public const string EnvironmentVariable = "GENERATIVE_DATASETS";
    private const string Marker = "fashion-mnist/SHA256SUMS";

    /// <summary>The full path of the datasets folder.</summary>
    /// <exception cref="DirectoryNotFoundException">Not found; the message lists where it looked.</exception>
    public static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var full = Path.GetFullPath(fromEnvironment);
            if (!File.Exists(Path.Combine(full, Marker)))
            {
                throw new DirectoryNotFoundException(
                    $"{EnvironmentVariable} is set to '{fromEnvironment}', but {Path.Combine(full, Marker)} does not exist. Point it at the course repository's datasets folder.");
            }
            return full;
        }

        var starts = new List<string>();
        var assemblyLocation = typeof(DatasetDirectory).Assembly.Location; // empty when loaded from bytes
        if (!string.IsNullOrEmpty(assemblyLocation))
        {
            starts.Add(Path.GetDirectoryName(assemblyLocation)!);
        }
        starts.Add(AppContext.BaseDirectory);
        starts.Add(Directory.GetCurrentDirectory());
        foreach (var start in starts.Distinct())
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "datasets");
                if (File.Exists(Path.Combine(candidate, Marker)))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException(
            $"Could not find datasets/{Marker} in any folder above {string.Join(", ", starts.Distinct())}. " +
            $"Run from inside the course repository, or set {EnvironmentVariable} to its datasets folder.");
    }
}
