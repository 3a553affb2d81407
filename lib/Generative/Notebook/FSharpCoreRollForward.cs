using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Generative.Notebook;

/// <summary>
/// Lets the FSharp.Core a process already has serve a request for a newer one, as an assembly binding redirect did on
/// .NET Framework, so that lesson 09's Plotly.NET runs in VS Code's kernel.
/// </summary>
/// <remarks>
/// Plotly.NET 6.0.0 (the version served) and its DynamicObj are built against FSharp.Core 10.1; the dotnet-interactive
/// tool VS Code starts (1.0.712001, .NET Interactive 1.0.0-beta.26120.1) carries FSharp.Core 10.0 for its F# kernel, and
/// a process's default load context cannot hold two FSharp.Core assemblies, so the first chart failed there with
/// FileNotFoundException for FSharp.Core 10.1.0.0. The handler runs only after the runtime found no match: it answers
/// with the FSharp.Core of the default context (loaded, or listed among the host's own assemblies), never for another
/// assembly and never with nothing to offer. Measured: Plotly.NET's charts and Plotly.NET.Interactive's formatter work on
/// 10.0 in the real kernel (InteractiveKernelConformanceTests, lesson 09). The course runner never needs it: it loads
/// the newest FSharp.Core a notebook brings before any cell runs (lib/Course/Execution/SharedFSharpCore.cs).
/// It is installed when the course library is loaded, which every lesson does in its first cells.
/// </remarks>
internal static class FSharpCoreRollForward
{
    private const string Name = "FSharp.Core";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The redirect must be in place before a later cell's package asks for FSharp.Core; nothing of the library is called first.")]
    internal static void Install() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        if (requested.Name != Name || context != AssemblyLoadContext.Default) return null;
        if (context.Assemblies.FirstOrDefault(assembly => assembly.GetName().Name == Name) is { } loaded) return loaded;
        var hostCopy = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator)
            .FirstOrDefault(path => Path.GetFileName(path) == Name + ".dll");
        return hostCopy is null ? null : context.LoadFromAssemblyPath(hostCopy);
    }
}
