namespace Course.Export;

/// <summary>
/// The directives through which a file-based app gets what the notebook referenced: <c>#r "path/Name.dll"</c> becomes
/// <c>#:project</c> of the project that builds that DLL (one with a bin/ folder the DLL lies in, such as
/// lib/Generative/bin/Release/net10.0/Generative.dll), so <c>dotnet run</c> builds the library itself; and
/// <c>#r "nuget: Name, Version"</c> becomes <c>#:package Name@Version</c>. A file-based app cannot reference a bare DLL.
/// </summary>
internal static class AppReferences
{
    /// <summary>The <c>#:project</c> and <c>#:package</c> lines for <paramref name="cells"/>, each once, in order.</summary>
    /// <param name="cells">The compiled code cells.</param>
    /// <param name="notebookPath">The notebook's full path: #r paths are relative to its folder.</param>
    /// <param name="outputFolder">The exported file's folder: #:project paths are relative to it.</param>
    /// <exception cref="NotebookExportException">A #r names a DLL that no project folder builds.</exception>
    public static IReadOnlyList<string> Directives(IReadOnlyList<CompiledCell> cells, string notebookPath, string outputFolder)
    {
        var notebookFolder = Path.GetDirectoryName(notebookPath)!;
        var directives = new List<string>();
        foreach (var cell in cells)
        {
            foreach (var (path, line) in cell.References)
            {
                var dllPath = Path.GetFullPath(Path.Combine(notebookFolder, path));
                var project = ProjectBuilding(dllPath) ?? throw new NotebookExportException(Path.GetFileName(notebookPath), cell.CellNumber,
                    $"line {line}: #r \"{path}\" is not the output of a project (no .csproj beside a bin/ folder above it); a file-based app " +
                    "references projects (#:project) and packages (#:package), not DLLs.");
                directives.Add($"#:project {Path.GetRelativePath(outputFolder, project).Replace('\\', '/')}");
            }
            foreach (var package in cell.Packages)
                directives.Add($"#:package {package.Name}@{package.Version ?? "*"}");
        }
        return directives.Distinct().ToList();
    }

    /// <summary>The project file that builds <paramref name="dllPath"/>: the DLL's name as .csproj (or the only .csproj) in
    /// the folder that holds the bin/ folder the DLL lies in; null when there is none.</summary>
    private static string? ProjectBuilding(string dllPath)
    {
        for (var folder = new DirectoryInfo(Path.GetDirectoryName(dllPath)!); folder?.Parent is { } parent; folder = parent)
        {
            if (folder.Name != "bin") continue;
            var named = Path.Combine(parent.FullName, Path.GetFileNameWithoutExtension(dllPath) + ".csproj");
            if (File.Exists(named)) return named;
            return parent.GetFiles("*.csproj") is [var only] ? only.FullName : null;
        }
        return null;
    }
}
