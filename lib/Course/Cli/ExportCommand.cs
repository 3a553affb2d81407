using Course.Export;
using Course.IO;
using Course.Notebooks;

namespace Course.Cli;

/// <summary>
/// <c>course export</c>: writes each notebook as a .NET 10 file-based app (see <see cref="NotebookExporter"/>) into
/// DIR/&lt;notebook&gt;.cs. Every notebook is exported in memory before any file is written, and each file is written
/// atomically, so a notebook that cannot be exported leaves nothing half done.
/// </summary>
public static class ExportCommand
{
    /// <summary>The folder under the repository that --to defaults to.</summary>
    public static readonly string DefaultFolder = Path.Combine("artifacts", "export");

    /// <summary>Runs the command described by <paramref name="commandLine"/>, reporting each file written on <paramref name="output"/>.</summary>
    /// <exception cref="UsageException">A path does not exist or is not a notebook, or two notebooks would share a file.</exception>
    /// <exception cref="InvalidDataException">A notebook cannot be read or is not in C#.</exception>
    /// <exception cref="NotebookExportException">A notebook cannot become a file-based app.</exception>
    public static int Execute(CommandLine commandLine, TextWriter output)
    {
        var root = RepositoryRoot.TryFind(Environment.CurrentDirectory);
        var notebooks = NotebookPaths.Resolve(commandLine.Paths, root);
        var folder = commandLine.OutputFolder is { } given
            ? Path.GetFullPath(given)
            : Path.Combine(root ?? throw new UsageException($"No {RepositoryRoot.SolutionFileName} above the current folder to put {DefaultFolder} in: pass --to DIR."), DefaultFolder);
        if (notebooks.Count == 0)
        {
            output.WriteLine("No notebooks to export.");
            return 0;
        }
        var targets = notebooks.Select(notebook => Path.Combine(folder, Path.GetFileNameWithoutExtension(notebook) + ".cs")).ToList();
        if (targets.GroupBy(target => target, StringComparer.OrdinalIgnoreCase).FirstOrDefault(same => same.Count() > 1) is { } clash)
        {
            var sources = notebooks.Where((_, index) => string.Equals(targets[index], clash.Key, StringComparison.OrdinalIgnoreCase));
            throw new UsageException($"{string.Join(" and ", sources.Select(source => $"'{source}'"))} would both be exported to '{clash.Key}'.");
        }

        var files = notebooks.Select((notebook, index) => NotebookExporter.Export(NotebookReader.Read(notebook), notebook, targets[index])).ToList();
        for (var index = 0; index < notebooks.Count; index++)
        {
            AtomicTextFile.Write(targets[index], files[index]);
            output.WriteLine($"Exported {Path.GetRelativePath(Environment.CurrentDirectory, notebooks[index])} -> {Path.GetRelativePath(Environment.CurrentDirectory, targets[index])}");
        }
        output.WriteLine($"Run one with: dotnet run {Path.GetRelativePath(Environment.CurrentDirectory, targets[0])}");
        return 0;
    }
}
