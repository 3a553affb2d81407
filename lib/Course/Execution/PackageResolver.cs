using System.Text.Json;

namespace Course.Execution;

/// <summary>
/// Satisfies <c>#r "nuget: Name, Version"</c> without a network: the runner has no NuGet client,
/// so a package is allowed only when a library the notebook already referenced brings it, i.e.
/// <c>Name.dll</c> lies beside a referenced DLL or the DLL's <c>.deps.json</c> lists the package.
/// When the .deps.json records a version and the notebook asks for another, that is an error too:
/// VS Code would load the requested version, the runner the library's, and results could differ.
/// </summary>
internal static class PackageResolver
{
    /// <summary>
    /// The path of the package's DLL to reference, or null when the package is listed as a
    /// dependency but has no DLL beside the library (then it is already reachable through the library).
    /// </summary>
    /// <exception cref="CellSourceException">No referenced library brings the package, or it brings another version.</exception>
    public static string? Resolve(PackageRequest request, IReadOnlyCollection<string> referencedAssemblyPaths)
    {
        foreach (var assemblyPath in referencedAssemblyPaths)
        {
            var folder = Path.GetDirectoryName(assemblyPath)!;
            var listedVersion = ListedVersion(Path.ChangeExtension(assemblyPath, ".deps.json"), request.Name);
            if (listedVersion is not null && request.Version is not null && !VersionMatches(request.Version, listedVersion))
                throw new CellSourceException("PackageVersionMismatch", request.Location,
                    $"the notebook asks for NuGet package {request.Name} {request.Version}, but {Path.GetFileName(assemblyPath)} brings version {listedVersion}; " +
                    $"change the line to #r \"nuget: {request.Name}, {listedVersion}\".");
            var dllPath = Path.Combine(folder, request.Name + ".dll");
            if (File.Exists(dllPath)) return dllPath;
            if (listedVersion is not null) return null;
        }
        var referenced = referencedAssemblyPaths.Count == 0
            ? "no library is referenced yet (put #r \"path/to/Library.dll\" before it)"
            : "it is not among the dependencies of " + string.Join(", ", referencedAssemblyPaths.Select(Path.GetFileName));
        throw new CellSourceException("PackageNotAvailable", request.Location,
            $"NuGet package {request.Name} cannot be loaded: the course runner works offline and only allows packages that a referenced library already brings, and {referenced}.");
    }

    /// <summary>The version under which <paramref name="packageName"/> appears in a .deps.json "libraries" table, or null.</summary>
    private static string? ListedVersion(string depsJsonPath, string packageName)
    {
        if (!File.Exists(depsJsonPath)) return null;
        using var deps = JsonDocument.Parse(File.ReadAllText(depsJsonPath));
        if (!deps.RootElement.TryGetProperty("libraries", out var libraries)) return null;
        foreach (var library in libraries.EnumerateObject())
        {
            // Keys are "Name/Version".
            var slash = library.Name.IndexOf('/');
            if (slash > 0 && string.Equals(library.Name[..slash], packageName, StringComparison.OrdinalIgnoreCase))
                return library.Name[(slash + 1)..];
        }
        return null;
    }

    /// <summary>Exact versions must match; a floating "*" or a range is taken as satisfied by whatever the library brings.</summary>
    private static bool VersionMatches(string requested, string listed) =>
        requested.Contains('*') || requested.StartsWith('[') || requested.StartsWith('(') ||
        string.Equals(requested, listed, StringComparison.OrdinalIgnoreCase);
}
