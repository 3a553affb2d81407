using System.Reflection;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// Why the runner must not link the library (see the display convention in the contract):
/// Roslyn's script loader lets the process's default load context resolve an assembly name first
/// (already loaded assemblies, then the app's own dependency list) and only then loads the file a
/// notebook's #r names. So if the runner carried its own Generative.dll, every notebook would
/// silently run against the runner's copy instead of the library it references.
/// </summary>
public sealed class LibraryIsolationTests
{
    [Fact]
    public async Task RunAsync_SameNamedAssemblyAlreadyLoadedByHost_HostCopyWins()
    {
        // Characterises the loader order the other tests guard against.
        var folder = TestFolders.NewScratch("isolation");
        const string source = """namespace IsolationProbe; public static class Marker { public static string Copy => "COPY"; }""";
        var hostCopy = TestAssemblies.Compile(Path.Combine(folder, "host"), "IsolationProbe", source.Replace("COPY", "host"));
        TestAssemblies.Compile(Path.Combine(folder, "lib"), "IsolationProbe", source.Replace("COPY", "notebook"));
        Assembly.LoadFrom(hostCopy);

        var notebook = await TestNotebooks.RunAsync(folder, "isolation.ipynb", "#r \"lib/IsolationProbe.dll\"", "IsolationProbe.Marker.Copy");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal("host", Assert.IsType<ExecuteResultOutput>(TestNotebooks.OutputsOf(notebook, 1)[0]).Data["text/plain"]);
    }

    [Fact]
    public void CourseAssembly_DoesNotReferenceTheLibrary()
    {
        var references = typeof(Course.Execution.NotebookSession).Assembly.GetReferencedAssemblies().Select(name => name.Name);
        Assert.DoesNotContain("Generative", references);
    }

    [Fact]
    public void RunnerProcess_HasNoLibraryCopyItCouldResolveByName()
    {
        var trustedAssemblies = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        Assert.DoesNotContain(trustedAssemblies, path => Path.GetFileName(path) == "Generative.dll");
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(typeof(Course.Execution.NotebookSession).Assembly.Location)!, "Generative.dll")),
            "Generative.dll was copied beside the runner; notebooks would bind to that copy instead of their #r.");
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), assembly => assembly.GetName().Name == "Generative" && !assembly.IsDynamic && IsDefaultContext(assembly));
    }

    private static bool IsDefaultContext(Assembly assembly) =>
        System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly) == System.Runtime.Loader.AssemblyLoadContext.Default;
}
