using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Text.Json;

namespace Course.Execution;

/// <summary>
/// A notebook's <c>#r "nuget: Name, Version"</c> packages restored as .NET Interactive restores them: the packages asked
/// for so far go into a temporary project (this runtime's framework and RID), <c>dotnet restore</c> resolves it against
/// the user's NuGet sources and cache, and the runtime assemblies and native folders of every resolved package are read
/// from its <c>project.assets.json</c>. The rules are the kernel's (Microsoft.DotNet.Interactive.PackageManagement):
/// no version means the newest stable ("*"); ranges and floating versions go to NuGet as written; a package asked for
/// again with no version, "*", or the version it already has changes nothing; with another version it is an error,
/// since the first version's assemblies are already loaded. Each restore includes the earlier packages at their
/// resolved versions, so dependencies shared between cells agree.
/// </summary>
internal sealed class PackageRestore
{
    /// <summary>How long one restore may take: the first restore of a large package (libtorch) downloads hundreds of MB.</summary>
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(20);

    private readonly Dictionary<string, RestoredPackage> _restored = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The packages restored so far, with their resolved versions (the requested ones and their dependencies).</summary>
    public IReadOnlyCollection<RestoredPackage> Restored => _restored.Values;

    /// <summary>
    /// Restores <paramref name="requests"/> (one cell's lines, in order) with the packages restored before, and returns
    /// the packages it added: their runtime assemblies are to be referenced, their native folders probed.
    /// </summary>
    /// <exception cref="CellSourceException">A version conflicts with an earlier one, or the restore failed (the message
    /// names each package and version and gives NuGet's errors).</exception>
    public IReadOnlyList<RestoredPackage> Restore(IReadOnlyList<PackageRequest> requests)
    {
        var added = new List<PackageRequest>();
        foreach (var request in requests)
        {
            var version = NormalizedVersion(request.Version);
            if (_restored.TryGetValue(request.Name, out var earlier))
            {
                if (version is not ("*" or "*-*") && !string.Equals(version, earlier.Version, StringComparison.OrdinalIgnoreCase))
                    throw Conflict(request, version, earlier.Version, earlier.Requested
                        ? $"version {earlier.Version} was added previously"
                        : $"version {earlier.Version} is already loaded as a dependency of an earlier package");
                // From now on it is pinned at the loaded version in later restores.
                _restored[request.Name] = earlier with { Requested = true };
                continue;
            }
            if (added.Find(other => string.Equals(other.Name, request.Name, StringComparison.OrdinalIgnoreCase)) is { } sameCell)
            {
                var firstVersion = NormalizedVersion(sameCell.Version);
                if (version is "*" or "*-*" || string.Equals(version, firstVersion, StringComparison.OrdinalIgnoreCase)) continue;
                throw Conflict(request, version, firstVersion, $"line {sameCell.Location.Line} of this cell asks for version {firstVersion}");
            }
            added.Add(request);
        }
        if (added.Count == 0) return [];

        var resolved = RunRestore(added);
        var newPackages = new List<RestoredPackage>();
        foreach (var package in resolved)
        {
            if (_restored.ContainsKey(package.Name)) continue;
            var requested = added.Exists(request => string.Equals(request.Name, package.Name, StringComparison.OrdinalIgnoreCase));
            var restored = package with { Requested = requested };
            _restored[package.Name] = restored;
            newPackages.Add(restored);
        }
        return newPackages;
    }

    private static CellSourceException Conflict(PackageRequest request, string version, string existing, string why) =>
        new("PackageVersionConflict", request.Location,
            $"NuGet package {request.Name} version {version} cannot be added because {why}; a package's assemblies cannot be " +
            $"replaced once loaded: ask for {request.Name} {existing} (or no version), or restart the notebook with the version you want.");

    /// <summary>What NuGet gets as the version: a missing one is "*", the newest stable, as in the kernel.</summary>
    private static string NormalizedVersion(string? version) => string.IsNullOrWhiteSpace(version) ? "*" : version.Trim();

    private static string Describe(PackageRequest request) => $"{request.Name} {NormalizedVersion(request.Version)}";

    private List<RestoredPackage> RunRestore(List<PackageRequest> added)
    {
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var runtime = RuntimeInformation.RuntimeIdentifier;
        var references = _restored.Values.Where(package => package.Requested).Select(package => (package.Name, package.Version))
            .Concat(added.Select(request => (request.Name, NormalizedVersion(request.Version))));
        var project = new StringBuilder()
            .AppendLine("""<Project Sdk="Microsoft.NET.Sdk">""")
            .AppendLine("  <PropertyGroup>")
            .AppendLine($"    <TargetFramework>{framework}</TargetFramework>")
            .AppendLine($"    <RuntimeIdentifier>{runtime}</RuntimeIdentifier>")
            .AppendLine("    <SelfContained>false</SelfContained><UseAppHost>false</UseAppHost><EnableDefaultItems>false</EnableDefaultItems>")
            // The project lies in the temp folder, but a Directory.Build.* or central package file above it must not change it.
            .AppendLine("    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps><ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>")
            .AppendLine("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>")
            .AppendLine("  </PropertyGroup>")
            .AppendLine("  <ItemGroup>");
        foreach (var (name, version) in references)
            project.AppendLine($"""    <PackageReference Include="{SecurityElement.Escape(name)}" Version="{SecurityElement.Escape(version)}" />""");
        project.AppendLine("  </ItemGroup>").AppendLine("</Project>");

        var folder = Directory.CreateTempSubdirectory("course-nuget-").FullName;
        try
        {
            var projectPath = Path.Combine(folder, "NotebookPackages.csproj");
            File.WriteAllText(projectPath, project.ToString());
            var (exitCode, output) = DotNet(folder, "restore", projectPath, "--nologo");
            var assetsPath = Path.Combine(folder, "obj", "project.assets.json");
            var errors = new List<string>();
            List<RestoredPackage> packages = [];
            if (File.Exists(assetsPath))
            {
                using var assets = JsonDocument.Parse(File.ReadAllBytes(assetsPath));
                errors.AddRange(RestoreErrors(assets.RootElement));
                if (errors.Count == 0 && exitCode == 0) packages = ResolvedPackages(assets.RootElement, $"{framework}/{runtime}");
            }
            if (errors.Count == 0 && exitCode != 0)
                errors.AddRange(output.Split('\n').Select(line => line.Trim()).Where(line => line.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct());
            if (errors.Count == 0 && exitCode != 0) errors.Add($"dotnet restore exited with code {exitCode}: {output.Trim()}");
            if (errors.Count > 0)
            {
                var what = added.Count == 1 ? "NuGet package " + Describe(added[0]) : "NuGet packages " + string.Join(", ", added.Select(Describe));
                throw new CellSourceException("PackageRestoreFailed", added[0].Location,
                    $"{what} could not be restored: {string.Join(" ", errors.Select(error => error.TrimEnd('.') + "."))}");
            }
            return packages;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The errors NuGet recorded in the assets file (its warnings, such as NU1603, are left out as the kernel leaves them).</summary>
    private static IEnumerable<string> RestoreErrors(JsonElement assets)
    {
        if (!assets.TryGetProperty("logs", out var logs)) yield break;
        foreach (var log in logs.EnumerateArray())
            if (log.GetProperty("level").GetString() == "Error")
                yield return $"{log.GetProperty("code").GetString()}: {log.GetProperty("message").GetString()}";
    }

    /// <summary>Every package of the target <paramref name="target"/> with its runtime assemblies and native folders.</summary>
    private static List<RestoredPackage> ResolvedPackages(JsonElement assets, string target)
    {
        var packageFolder = assets.GetProperty("packageFolders").EnumerateObject().First().Name;
        var libraries = assets.GetProperty("libraries");
        var packages = new List<RestoredPackage>();
        foreach (var entry in assets.GetProperty("targets").GetProperty(target).EnumerateObject())
        {
            if (entry.Value.GetProperty("type").GetString() != "package") continue;
            var slash = entry.Name.IndexOf('/');
            var (name, version) = (entry.Name[..slash], entry.Name[(slash + 1)..]);
            var root = Path.GetFullPath(Path.Combine(packageFolder, libraries.GetProperty(entry.Name).GetProperty("path").GetString()!));
            var assemblies = AssetPaths(entry.Value, "runtime", root).Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
            var nativeFolders = AssetPaths(entry.Value, "native", root).Select(path => Path.GetDirectoryName(path)!).Distinct().ToList();
            packages.Add(new RestoredPackage(name, version, root, assemblies, nativeFolders));
        }
        return packages;
    }

    /// <summary>The full paths of a target entry's assets of one kind ("runtime", "native"), without NuGet's "_._" placeholders.</summary>
    private static IEnumerable<string> AssetPaths(JsonElement entry, string kind, string root) =>
        entry.TryGetProperty(kind, out var assets)
            ? assets.EnumerateObject().Select(asset => asset.Name).Where(path => !path.EndsWith("/_._", StringComparison.Ordinal))
                .Select(path => Path.GetFullPath(Path.Combine(root, path)))
            : [];

    /// <summary>Runs the dotnet CLI this process runs on (or the one on PATH) and returns its exit code and output.</summary>
    private static (int ExitCode, string Output) DotNet(string workingFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotNetExecutable())
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // Under `dotnet test` or `dotnet run` MSBuild's variables describe the caller's build; the restore is a build of its own.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath" }) start.Environment.Remove(variable);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet restore did not start.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { if (line.Data is { } data) lock (output) output.AppendLine(data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } data) lock (output) output.AppendLine(data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(RestoreTimeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"dotnet restore did not finish within {RestoreTimeout.TotalMinutes:0} minutes");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>The dotnet host: DOTNET_HOST_PATH (set by the SDK for the processes it starts), this process when it is the
    /// dotnet host, or "dotnet" from PATH.</summary>
    internal static string DotNetExecutable()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }
}

/// <summary>A package restored for a notebook.</summary>
/// <param name="Name">The package id as NuGet spells it.</param>
/// <param name="Version">The resolved version.</param>
/// <param name="Root">The package's folder in the NuGet packages folder.</param>
/// <param name="Assemblies">Full paths of its runtime assemblies for this framework and RID.</param>
/// <param name="NativeFolders">Folders holding its native libraries for this RID.</param>
/// <param name="Requested">True when a #r line asked for it, false when it came as a dependency.</param>
internal sealed record RestoredPackage(string Name, string Version, string Root, IReadOnlyList<string> Assemblies,
    IReadOnlyList<string> NativeFolders, bool Requested = false);
