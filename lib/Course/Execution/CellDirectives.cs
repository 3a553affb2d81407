using System.Text.RegularExpressions;

namespace Course.Execution;

/// <summary>
/// The Polyglot "magic" lines of a cell, separated from its C#. Supported:
/// <list type="bullet">
/// <item><c>#r "path.dll"</c>: left in the code, because it is C# script syntax that Roslyn resolves
/// itself (relative to the notebook's folder), exactly as the Polyglot kernel does.</item>
/// <item><c>#r "nuget: Name, Version"</c>: removed from the code and returned as a
/// <see cref="PackageRequest"/>; the session takes it from what a referenced library brings or restores it.</item>
/// <item><c>#!csharp</c> (or <c>#!c#</c>) on the first non-blank line: the Polyglot kernel selector,
/// a no-op since C# is the only kernel.</item>
/// </list>
/// Every other magic (<c>#!time</c>, <c>#!fsharp</c>, <c>#i</c>, ...) is refused with an error naming it and the cell.
/// Removed lines are blanked, not deleted, so compiler line numbers still match the cell's lines.
/// </summary>
/// <param name="Code">The C# to compile: the cell with magic lines blanked.</param>
/// <param name="References">The <c>#r "path"</c> references, with their 1-based lines.</param>
/// <param name="Packages">The <c>#r "nuget: ..."</c> requests.</param>
public sealed partial record CellDirectives(string Code, IReadOnlyList<(string Path, int Line)> References, IReadOnlyList<PackageRequest> Packages)
{
    /// <summary>Splits <paramref name="source"/>; <paramref name="location"/> (without line) names the cell in errors.</summary>
    /// <exception cref="CellSourceException">The cell uses a magic command the runner does not support.</exception>
    public static CellDirectives Parse(string source, CellLocation location)
    {
        var lines = source.Split('\n');
        var references = new List<(string, int)>();
        var packages = new List<PackageRequest>();
        var seenCode = false;
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r').Trim();
            var lineLocation = location with { Line = index + 1 };
            if (line.Length == 0) continue;
            if (NuGetReference().Match(line) is { Success: true } nuget)
            {
                var version = nuget.Groups["version"].Value.Trim();
                packages.Add(new PackageRequest(nuget.Groups["name"].Value.Trim(), version.Length == 0 ? null : version, lineLocation));
                lines[index] = "";
            }
            else if (PathReference().Match(line) is { Success: true } reference)
            {
                references.Add((reference.Groups["path"].Value, index + 1));
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal) || IncludeMagic().IsMatch(line))
            {
                var magic = line.Split((char[])[' ', '\t'], 2)[0];
                if (!seenCode && magic is "#!csharp" or "#!c#") { lines[index] = ""; continue; }
                var why = magic is "#!csharp" or "#!c#"
                    ? "the kernel selector must be the first line of the cell"
                    : "the course runner supports only #r \"path.dll\", #r \"nuget: Name, Version\", and #!csharp as a cell's first line";
                throw new CellSourceException("UnsupportedMagicCommand", lineLocation, $"the magic command '{magic}' is not supported: {why}.");
            }
            seenCode = true;
        }
        return new CellDirectives(string.Join('\n', lines), references, packages);
    }

    [GeneratedRegex("""^#r\s+"nuget:\s*(?<name>[^,"]+?)\s*(,(?<version>[^"]*))?"\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex PathReference();

    [GeneratedRegex("""^#i(\s|"|$)""")]
    private static partial Regex IncludeMagic();
}

/// <summary>A <c>#r "nuget: Name, Version"</c> line.</summary>
/// <param name="Name">The package id.</param>
/// <param name="Version">The requested version, or null when the line gives none.</param>
/// <param name="Location">The line, for error messages.</param>
public sealed record PackageRequest(string Name, string? Version, CellLocation Location);
