using System.Text.Json;

namespace Course.Execution;

/// <summary>
/// Satisfies <c>#r "nuget: Name, Version"</c> without a restore when a library the notebook already referenced brings
/// the package, i.e. <c>Name.dll</c> lies beside a referenced DLL or the DLL's <c>.deps.json</c> lists the package: the
/// library's copy is the one its code was built and tested against, and a restored second copy of the same assembly
/// would give two types of one name. Any other package is restored (<see cref="PackageRestore"/>).
/// When the .deps.json records a version and the notebook asks for another, that is an error:
/// VS Code would load the requested version, the runner the library's, and results could differ.
/// </summary>
internal static class PackageResolver
{
    /// <summary>
    /// True when a referenced library brings the package; then <paramref name="dllPath"/> is the package's DLL to
    /// reference, or null when the package is listed as a dependency but has no DLL beside the library (then it is
    /// already reachable through the library).
    /// </summary>
    /// <exception cref="CellSourceException">A referenced library brings another version of the package.</exception>
    public static bool TryResolve(PackageRequest request, IReadOnlyCollection<string> referencedAssemblyPaths, out string? dllPath)
    {
        dllPath = null;
        foreach (var assemblyPath in referencedAssemblyPaths)
        {
            var folder = Path.GetDirectoryName(assemblyPath)!;
            var listedVersion = ListedVersion(Path.ChangeExtension(assemblyPath, ".deps.json"), request.Name);
            if (listedVersion is not null && request.Version is not null && !VersionMatches(request.Version, listedVersion))
                throw new CellSourceException("PackageVersionMismatch", request.Location,
                    $"the notebook asks for NuGet package {request.Name} {request.Version}, but {Path.GetFileName(assemblyPath)} brings version {listedVersion}; " +
                    $"change the line to #r \"nuget: {request.Name}, {listedVersion}\".");
            var besideLibrary = Path.Combine(folder, request.Name + ".dll");
            if (File.Exists(besideLibrary))
            {
                dllPath = besideLibrary;
                return true;
            }
            if (listedVersion is not null) return true;
        }
        return false;
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
