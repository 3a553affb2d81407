using System.Runtime.InteropServices;

namespace Course.Execution;

/// <summary>
/// TorchSharp restored by a notebook on Linux. Its native glue, libLibTorchSharp.so (0.107), asks for GCC 13's
/// libstdc++, which Debian 12 lacks: the restored copy in the NuGet cache gets the course's fix
/// (tools/torchsharp/debian12-compat.sh, a no-op where the library already loads), as the build does for the copies in
/// bin/. Then the glue is loaded from the restored files, with its libtorch: TorchSharp first asks for its libraries
/// by name, and a system-wide libtorch of another version (Debian's, in /usr/lib) would otherwise be found first and
/// break the load; loaded libraries are matched by name, so TorchSharp gets these. A load that fails becomes the
/// cell's error, saying why and what to do, instead of TorchSharp's first-use exception.
/// </summary>
internal static class TorchSharpNative
{
    private const string GlueLibrary = "libLibTorchSharp.so";
    private const string CompatScript = TorchSharpCompatScript.RelativePath;

    /// <summary>Applies the fix to <paramref name="package"/>'s native folders holding TorchSharp's glue library.</summary>
    /// <exception cref="CellSourceException">The fix was needed and failed.</exception>
    public static void Fix(RestoredPackage package, CellLocation location)
    {
        if (!OperatingSystem.IsLinux()) return;
        var folders = package.NativeFolders.Where(folder => File.Exists(Path.Combine(folder, GlueLibrary))).ToList();
        if (folders.Count == 0 || TorchSharpCompatScript.Find() is not { } script) return;
        if (TorchSharpCompatScript.Run(script, folders) is { } failure)
            throw CannotLoad(package.Version, location, failure,
                $"{NeedsNewLibstdcxx} Install what the message names and run {CompatScript} {string.Join(" ", folders)} again");
    }

    /// <summary>Loads TorchSharp's glue library from the restored files when <paramref name="packages"/> brought it.</summary>
    /// <exception cref="CellSourceException">It does not load here.</exception>
    public static void Load(IReadOnlyList<RestoredPackage> packages, CellLocation location)
    {
        if (!OperatingSystem.IsLinux()) return;
        if (packages.FirstOrDefault(package => package.NativeFolders.Any(folder => File.Exists(Path.Combine(folder, GlueLibrary)))) is not { } torchSharp)
            return;
        if (NativeLibraryProbing.Find(GlueLibrary) is { } glue) LoadGlue(glue, torchSharp, location);
    }

    /// <summary>Loads the glue library at <paramref name="glue"/>, which <paramref name="torchSharp"/> brought.</summary>
    /// <exception cref="CellSourceException">It does not load: the message has the loader's reason and what to do.</exception>
    internal static void LoadGlue(string glue, RestoredPackage torchSharp, CellLocation location)
    {
        try
        {
            NativeLibrary.Load(glue);
        }
        catch (DllNotFoundException exception)
        {
            var debian12 = exception.Message.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal);
            throw CannotLoad(torchSharp.Version, location, exception.Message.Trim(), debian12
                ? $"{NeedsNewLibstdcxx} On Debian 12 run {CompatScript} {string.Join(" ", torchSharp.NativeFolders)} from the course's repository (needs patchelf and g++)"
                : "Check that the restore downloaded TorchSharp and libtorch completely: delete their folders in the NuGet cache and run the cell again");
        }
    }

    private const string NeedsNewLibstdcxx =
        "TorchSharp 0.107 needs GCC 13's libstdc++ (GLIBCXX_3.4.32; Ubuntu 24.04, Debian 13 and the course's dev container have it).";

    private static CellSourceException CannotLoad(string version, CellLocation location, string why, string whatToDo) =>
        new("TorchSharpCannotLoad", location,
            $"TorchSharp {version} restored, but its native library {GlueLibrary} cannot load on this machine: {why.TrimEnd('.')}. " +
            $"{whatToDo}, then restart the notebook.");
}
