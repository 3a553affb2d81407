using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Course.Execution;

/// <summary>
/// Finds the native libraries of restored NuGet packages (runtimes/RID/native) when a package's code asks for one by
/// name (DllImport, NativeLibrary.TryLoad with its assembly), before the system's own search: a built application has
/// them beside it, listed in its .deps.json; a notebook restores them after the process started, spread over several
/// package folders. On Linux and macOS the restored native files are linked into one folder, as an application's output
/// folder holds them, so a library's dependencies in another package resolve through its $ORIGIN and not to a different
/// copy installed on the system (Debian's libtorch in /usr/lib, for one). Native libraries are process-wide, so is this.
/// </summary>
internal static class NativeLibraryProbing
{
    private static readonly Lock Gate = new();
    private static readonly List<string> Folders = [];
    private static readonly List<string> PackageRoots = [];
    private static bool _started;

    /// <summary>Makes the native libraries of <paramref name="packages"/> findable by the assemblies of every restored package.</summary>
    public static void Add(IReadOnlyCollection<RestoredPackage> packages)
    {
        var nativeFiles = packages.SelectMany(package => package.NativeFolders).Distinct()
            .SelectMany(folder => Directory.EnumerateFiles(folder)).ToList();
        lock (Gate)
        {
            PackageRoots.AddRange(packages.Select(package => package.Root).Except(PackageRoots));
            if (nativeFiles.Count > 0 && NativeFolder(nativeFiles) is { } folder && !Folders.Contains(folder)) Folders.Insert(0, folder);
            if (_started) return;
            _started = true;
        }
        AppDomain.CurrentDomain.AssemblyLoad += (_, loaded) => UseResolver(loaded.LoadedAssembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) UseResolver(assembly);
    }

    /// <summary>One folder with every file of <paramref name="nativeFiles"/>: a folder of symbolic links named by the
    /// files it holds (made once, atomically), or on Windows, where loading a DLL by path already finds its neighbours
    /// only, the files' own folders are searched (null here).</summary>
    private static string? NativeFolder(List<string> nativeFiles)
    {
        if (OperatingSystem.IsWindows())
        {
            Folders.AddRange(nativeFiles.Select(file => Path.GetDirectoryName(file)!).Distinct().Except(Folders));
            return null;
        }
        var byName = nativeFiles.GroupBy(Path.GetFileName).Select(group => group.First()).OrderBy(file => file, StringComparer.Ordinal).ToList();
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', byName))))[..16].ToLowerInvariant();
        var folder = Path.Combine(Path.GetTempPath(), "course-native", key);
        if (Directory.Exists(folder)) return folder;
        var staging = Directory.CreateDirectory(folder + "." + Guid.NewGuid().ToString("N")).FullName;
        foreach (var file in byName) File.CreateSymbolicLink(Path.Combine(staging, Path.GetFileName(file)), file);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(staging, recursive: true); // another process made the same folder first
        }
        return folder;
    }

    /// <summary>The full path of the restored native library file <paramref name="fileName"/>, or null.</summary>
    public static string? Find(string fileName)
    {
        lock (Gate)
            return Folders.Select(folder => Path.Combine(folder, fileName)).FirstOrDefault(File.Exists);
    }

    private static void UseResolver(Assembly assembly)
    {
        if (assembly.IsDynamic || assembly.Location is not { Length: > 0 } location) return;
        lock (Gate)
            if (!PackageRoots.Exists(root => location.StartsWith(root, StringComparison.Ordinal))) return;
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The package set its own resolver: it finds its libraries itself.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string[] folders;
        lock (Gate) folders = [.. Folders];
        foreach (var folder in folders)
            foreach (var file in FileNames(name))
                if (File.Exists(Path.Combine(folder, file)) && NativeLibrary.TryLoad(Path.Combine(folder, file), out var handle))
                    return handle;
        return IntPtr.Zero;
    }

    /// <summary>The file names a DllImport name may have on disk, as the runtime's own probing tries them.</summary>
    private static IEnumerable<string> FileNames(string name)
    {
        yield return name;
        if (Path.IsPathRooted(name)) yield break;
        if (OperatingSystem.IsWindows()) { yield return name + ".dll"; yield break; }
        var extension = OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        yield return "lib" + name + extension;
        yield return name + extension;
    }
}
