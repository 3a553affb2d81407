using System.Reflection;
using System.Runtime.InteropServices;
using Course.Execution;
using Microsoft.DotNet.Interactive;

namespace InteractiveHost;

/// <summary>
/// What happens to the packages a <c>#r "nuget:"</c> line restored, beyond referencing their assemblies: the two things
/// the dotnet-interactive tool (Microsoft.DotNet.Interactive.App, which is not a package) or a learner's machine does
/// that the kernel packages alone do not.
/// </summary>
internal static class RestoredPackages
{
    /// <summary>
    /// Loads the kernel extensions a package carries in <c>interactive-extensions/dotnet</c>, as the tool's
    /// <c>UseNuGetExtensions</c> does: every <see cref="IKernelExtension"/> there gets <c>OnLoadAsync</c> with the root
    /// kernel (Plotly.NET.Interactive registers Plotly.NET's chart formatter this way).
    /// </summary>
    public static async Task LoadKernelExtensionsAsync(IEnumerable<ResolvedPackageReference> packages, Kernel kernel)
    {
        foreach (var package in packages)
        {
            var folder = Path.Combine(package.PackageRoot, "interactive-extensions", "dotnet");
            if (!Directory.Exists(folder)) continue;
            foreach (var dll in Directory.GetFiles(folder, "*.dll"))
            {
                var extensionTypes = Assembly.LoadFrom(dll).GetExportedTypes()
                    .Where(type => typeof(IKernelExtension).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false });
                foreach (var type in extensionTypes)
                    await ((IKernelExtension)Activator.CreateInstance(type)!).OnLoadAsync(kernel.RootKernel);
            }
        }
    }

    private const string TorchSharpGlue = "libLibTorchSharp.so";

    /// <summary>
    /// On Linux, when TorchSharp was restored: what its load needs on this machine, done as the course runner does it
    /// (lib/Course/Execution/TorchSharpNative.cs). (1) The course's Debian 12 step (tools/torchsharp/debian12-compat.sh,
    /// a no-op where the glue library loads as shipped, as on Ubuntu 24.04) on the restored glue. (2) The restored
    /// libtorch loaded before TorchSharp asks for it by name: a system-wide libtorch of another version (Debian's
    /// libtorch-dev, which python3-torch brings for the course's PyTorch peer) would otherwise be found first and the glue
    /// would fail against it; a loaded library is matched by name, so TorchSharp gets the restored one.
    /// </summary>
    /// <returns>Why TorchSharp cannot load here, or null.</returns>
    public static string? PrepareTorchSharp(IEnumerable<ResolvedPackageReference> packages)
    {
        if (!OperatingSystem.IsLinux()) return null;
        // A package's probing path is its root; its native files for this machine are under runtimes/<rid>/native.
        var nativeFolders = packages.SelectMany(package => package.ProbingPaths)
            .Select(root => Path.Combine(root, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"))
            .Where(Directory.Exists).ToList();
        var glueFolder = nativeFolders.FirstOrDefault(folder => File.Exists(Path.Combine(folder, TorchSharpGlue)));
        if (glueFolder is null) return null;
        if (TorchSharpCompatScript.Find() is { } script && TorchSharpCompatScript.Run(script, [glueFolder]) is { } failure)
            return $"{script} {glueFolder} failed: {failure}";
        var libtorchFolder = nativeFolders.FirstOrDefault(folder => File.Exists(Path.Combine(folder, "libtorch_cpu.so")));
        try
        {
            if (libtorchFolder is not null)
                foreach (var library in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
                    if (File.Exists(Path.Combine(libtorchFolder, library))) NativeLibrary.Load(Path.Combine(libtorchFolder, library));
            NativeLibrary.Load(Path.Combine(glueFolder, TorchSharpGlue));
            return null;
        }
        catch (DllNotFoundException exception)
        {
            return $"TorchSharp's native library {TorchSharpGlue} in {glueFolder} cannot load: {exception.Message.Trim()}";
        }
    }
}
