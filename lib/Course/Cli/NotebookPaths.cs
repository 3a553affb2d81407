namespace Course.Cli;

/// <summary>Turns the command line's paths into the notebooks to process.</summary>
public static class NotebookPaths
{
    /// <summary>
    /// The .ipynb files named by <paramref name="paths"/> (files, or folders whose *.ipynb are taken
    /// in name order); with no paths, every notebooks/*.ipynb of the repository at <paramref name="root"/>.
    /// </summary>
    /// <exception cref="UsageException">A path does not exist or is not a notebook, or there is no repository to default to.</exception>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> paths, string? root)
    {
        if (paths.Count == 0)
        {
            if (root is null) throw new UsageException($"No notebook paths given and no {RepositoryRoot.SolutionFileName} found above the current folder.");
            return InFolder(Path.Combine(root, "notebooks"));
        }
        var notebooks = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) notebooks.AddRange(InFolder(path));
            else if (!File.Exists(path)) throw new UsageException($"'{path}' does not exist.");
            else if (!path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"'{path}' is not a notebook (.ipynb).");
            else notebooks.Add(Path.GetFullPath(path));
        }
        return notebooks;
    }

    private static IReadOnlyList<string> InFolder(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.ipynb").Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList()
            : [];
}
