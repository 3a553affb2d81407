using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Course.Execution;

/// <summary>
/// The compilation settings every notebook starts with, chosen to match the Polyglot C# kernel so
/// a notebook that runs here runs in VS Code: the same default namespaces, the whole shared
/// framework referenced, and <c>#r</c>/<c>#load</c> paths resolved relative to the notebook's folder.
/// </summary>
internal static class ScriptDefaults
{
    /// <summary>
    /// Namespaces imported in every cell: those the .NET Interactive C# kernel imports. Deliberately
    /// no more (not System.IO, for instance): a notebook relying on an import the kernel lacks would
    /// run here and fail in VS Code.
    /// </summary>
    public static readonly IReadOnlyList<string> Imports =
    [
        "System",
        "System.Collections",
        "System.Collections.Generic",
        "System.Linq",
        "System.Text",
        "System.Threading.Tasks",
    ];

    /// <summary>
    /// References to the shared framework's assemblies (the runtime's own folder, not the runner's
    /// dependencies such as Roslyn). Built once per process: Roslyn caches metadata per reference
    /// object, so sharing them makes every notebook after the first compile faster.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<MetadataReference>> LazyFrameworkReferences = new(() =>
    {
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.EnumerateFiles(runtimeFolder, "*.dll")
            .Where(path => Path.GetFileName(path) is var name &&
                           (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll" or "Microsoft.Win32.Primitives.dll"))
            .Where(IsManagedAssembly)
            .Order(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
    });

    /// <summary>The shared framework's assemblies, as every notebook references them.</summary>
    public static IReadOnlyList<MetadataReference> FrameworkReferences => LazyFrameworkReferences.Value;

    /// <summary>The options for the cells of a notebook in <paramref name="notebookFolder"/>.</summary>
    public static ScriptOptions For(string notebookFolder) =>
        ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithReferences(FrameworkReferences)
            .WithImports(Imports)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(notebookFolder))
            .WithSourceResolver(ScriptSourceResolver.Default.WithBaseDirectory(notebookFolder))
            // Portable PDBs give runtime stack frames their cell lines; Release keeps training loops fast.
            .WithEmitDebugInformation(true)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithFileEncoding(Encoding.UTF8);

    /// <summary>Some framework files are native; referencing them would be a compile error.</summary>
    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
