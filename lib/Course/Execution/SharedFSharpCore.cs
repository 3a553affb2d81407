using System.Reflection;
using System.Runtime.Loader;

namespace Course.Execution;

/// <summary>
/// Gives a notebook one FSharp.Core, as .NET Interactive does (its host carries FSharp.Core for the F# kernel).
/// </summary>
/// <remarks>
/// F# libraries such as Plotly.NET and its dependencies (DynamicObj, Giraffe.ViewEngine) pass FSharp.Core types to each
/// other but were built against different FSharp.Core versions. Roslyn's script loader matches a dependency's version
/// exactly, so each requested version loads the same FSharp.Core.dll again, in a load context of its own, and a call from
/// one library to another fails with MissingMethodException (measured: Plotly.NET 6.0.0's first chart did). Its loader asks
/// the default context first, so one FSharp.Core there, the highest version found beside a referenced library or restored
/// by a #r "nuget:" line, serves every request (a loaded assembly satisfies requests for its version and lower ones).
/// </remarks>
internal static class SharedFSharpCore
{
    private const string FileName = "FSharp.Core.dll";
    private static readonly Lock Gate = new();

    /// <summary>Whether the host process lists FSharp.Core among its own assemblies (a test host does); then that one serves.</summary>
    private static bool HostCarriesFSharpCore() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator).Any(path => Path.GetFileName(path) == FileName);

    /// <summary>
    /// Loads the highest FSharp.Core, beside <paramref name="referencedAssemblyPaths"/> or among
    /// <paramref name="restoredAssemblyPaths"/> (the NuGet cache keeps each package in a folder of its own), into the
    /// default context, once.
    /// </summary>
    public static void Load(IEnumerable<string> referencedAssemblyPaths, IEnumerable<string> restoredAssemblyPaths)
    {
        lock (Gate)
        {
            if (AssemblyLoadContext.Default.Assemblies.Any(assembly => assembly.GetName().Name == "FSharp.Core") || HostCarriesFSharpCore()) return;
            var highest = referencedAssemblyPaths
                .Select(path => Path.Combine(Path.GetDirectoryName(path)!, FileName))
                .Concat(restoredAssemblyPaths.Where(path => Path.GetFileName(path) == FileName))
                .Distinct()
                .Where(File.Exists)
                .OrderByDescending(path => AssemblyName.GetAssemblyName(path).Version)
                .FirstOrDefault();
            if (highest is not null) AssemblyLoadContext.Default.LoadFromAssemblyPath(highest);
        }
    }
}
