using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// <c>#r "nuget: ..."</c> for packages no referenced library brings: real restores through the dotnet CLI of small
/// packages the registry serves (Humanizer.Core 2.14.1, Microsoft.Bcl.HashCode 6.0.0; after the first run they come
/// from the NuGet cache), the kernel's rules for versions, and errors that name the package and version.
/// </summary>
public sealed class NuGetPackageTests : IDisposable
{
    private const string Humanizer = "#r \"nuget: Humanizer.Core, 2.14.1\"";
    private readonly string _folder = Directory.CreateTempSubdirectory("course-nuget-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task RunAsync_PackageWithVersion_RestoredAndItsCodeRuns()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "restore.ipynb", Humanizer + "\nusing Humanizer;", "\"person\".Pluralize()");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal("people", ResultOf(notebook, 1));
    }

    [Fact]
    public async Task RunAsync_PackageLoaded_AssemblyComesFromTheRestoredVersion()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "version.ipynb", Humanizer,
            "typeof(Humanizer.InflectorExtensions).Assembly.Location.Replace('\\\\', '/')");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Contains("/humanizer.core/2.14.1/lib/", ResultOf(notebook, 1));
    }

    [Fact]
    public async Task RunAsync_SeveralPackagesInOneCell_AllRestoredAndUsable()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "several.ipynb",
            Humanizer + "\n#r \"nuget: Microsoft.Bcl.HashCode, 6.0.0\"",
            "Humanizer.InflectorExtensions.Pluralize(\"mouse\")");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal("mice", ResultOf(notebook, 1));
    }

    [Fact]
    public void Restore_TwoPackagesInOneRequest_BothResolvedWithTheirAssemblies()
    {
        var restore = new PackageRestore();

        var restored = restore.Restore([Request("Humanizer.Core", "2.14.1"), Request("Microsoft.Bcl.HashCode", "6.0.0")]);

        var humanizer = Assert.Single(restored, package => package.Name == "Humanizer.Core");
        var hashCode = Assert.Single(restored, package => package.Name == "Microsoft.Bcl.HashCode");
        Assert.Equal("2.14.1", humanizer.Version);
        Assert.Equal("6.0.0", hashCode.Version);
        Assert.Contains(humanizer.Assemblies, path => Path.GetFileName(path) == "Humanizer.dll" && File.Exists(path));
        Assert.Contains(hashCode.Assemblies, path => Path.GetFileName(path) == "Microsoft.Bcl.HashCode.dll" && File.Exists(path));
        Assert.All(restored, package => Assert.True(package.Requested));
    }

    [Fact]
    public void Restore_NoVersion_NewestStableVersion()
    {
        var restored = Assert.Single(new PackageRestore().Restore([Request("Humanizer.Core", null)]));

        // Humanizer.Core 3.0.10 is the newest stable version the registry serves here; "*" never picks a prerelease.
        Assert.True(Version.Parse(restored.Version) >= new Version(3, 0, 10), restored.Version);
        Assert.DoesNotContain('-', restored.Version);
    }

    [Fact]
    public void Restore_VersionRange_LowestVersionInTheRange()
    {
        var restored = Assert.Single(new PackageRestore().Restore([Request("Humanizer.Core", "[2.14.1, 3.0)")]));

        Assert.Equal("2.14.1", restored.Version);
    }

    [Fact]
    public void Restore_SamePackageAgainWithSameOrNoVersion_NothingNewToLoad()
    {
        var restore = new PackageRestore();
        restore.Restore([Request("Humanizer.Core", "2.14.1")]);

        Assert.Empty(restore.Restore([Request("humanizer.core", "2.14.1")]));
        Assert.Empty(restore.Restore([Request("Humanizer.Core", null), Request("Humanizer.Core", "*")]));
    }

    [Fact]
    public void Restore_SamePackageTwiceInOneRequest_RestoredOnce()
    {
        var restored = new PackageRestore().Restore([Request("Humanizer.Core", "2.14.1"), Request("Humanizer.Core", "2.14.1", line: 2)]);

        Assert.Single(restored);
    }

    [Fact]
    public void Restore_SamePackageTwiceInOneRequestWithOtherVersions_ErrorNamingBothVersions()
    {
        var error = Assert.Throws<CellSourceException>(() =>
            new PackageRestore().Restore([Request("Humanizer.Core", "2.14.1"), Request("Humanizer.Core", "3.0.10", line: 2)]));

        Assert.Equal("PackageVersionConflict", error.ErrorName);
        Assert.Equal(2, error.Location.Line);
        Assert.Contains("Humanizer.Core version 3.0.10", error.Problem);
        Assert.Contains("line 1 of this cell asks for version 2.14.1", error.Problem);
    }

    [Fact]
    public async Task RunAsync_SamePackageLaterWithOtherVersion_ErrorNamingBothVersionsAndCell()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "conflict.ipynb", Humanizer, "#r \"nuget: Humanizer.Core, 3.0.10\"");

        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 1)));
        Assert.Equal("PackageVersionConflict", error.EName);
        Assert.StartsWith("conflict.ipynb, cell 3, line 1:", error.EValue);
        Assert.Contains("Humanizer.Core version 3.0.10 cannot be added because version 2.14.1 was added previously", error.EValue);
    }

    [Fact]
    public async Task RunAsync_PackageThatDoesNotExist_RestoreErrorNamingPackageVersionAndCell()
    {
        const string name = "Course.NoSuchPackage.Anywhere";
        var notebook = await TestNotebooks.RunAsync(_folder, "missing.ipynb", "var x = 1;", $"#r \"nuget: {name}, 1.2.3\"");

        var error = Assert.IsType<ErrorOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, 1)));
        Assert.Equal("PackageRestoreFailed", error.EName);
        Assert.StartsWith($"missing.ipynb, cell 3, line 1: NuGet package {name} 1.2.3 could not be restored:", error.EValue);
        Assert.Contains("NU1101", error.EValue);
    }

    [Fact]
    public void Restore_VersionThatDoesNotExist_ErrorNamingPackageAndVersion()
    {
        var error = Assert.Throws<CellSourceException>(() => new PackageRestore().Restore([Request("Humanizer.Core", "99.0.0")]));

        Assert.Equal("PackageRestoreFailed", error.ErrorName);
        Assert.StartsWith("NuGet package Humanizer.Core 99.0.0 could not be restored:", error.Problem);
        Assert.Contains("NU1102", error.Problem);
    }

    [Fact]
    public void Restore_FailedRestore_LaterRestoreOfAnotherPackageUnaffected()
    {
        var restore = new PackageRestore();
        Assert.Throws<CellSourceException>(() => restore.Restore([Request("Humanizer.Core", "99.0.0")]));

        var restored = Assert.Single(restore.Restore([Request("Humanizer.Core", "2.14.1")]));

        Assert.Equal("2.14.1", restored.Version);
    }

    [Fact]
    public async Task RunAsync_PackageTheLibraryBrings_NotRestored()
    {
        // The fast path: Helper.dll lies beside the referenced library, which lists it; there is no such package on
        // any NuGet source, so a restore would fail.
        var library = Path.Combine(_folder, "lib");
        var helper = TestAssemblies.Compile(library, "Course.Helper.Local", "namespace Helper; public static class Numbers { public static int Seven => 7; }");
        TestAssemblies.Compile(library, "MainLibrary", "namespace MainLibrary; public static class Api { public static int Seven => Helper.Numbers.Seven; }", helper);
        File.WriteAllText(Path.Combine(library, "MainLibrary.deps.json"), """{ "libraries": { "Course.Helper.Local/2.1.0": { "type": "package" } } }""");

        var notebook = await TestNotebooks.RunAsync(_folder, "local.ipynb", "#r \"lib/MainLibrary.dll\"\n#r \"nuget: Course.Helper.Local\"", "Helper.Numbers.Seven");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal("7", ResultOf(notebook, 1));
    }

    [Fact]
    public async Task RunAsync_TorchSharpCpu_RestoredLoadedAndComputes()
    {
        var notebook = await TestNotebooks.RunAsync(_folder, "torch.ipynb",
            "#r \"nuget: TorchSharp-cpu, 0.107.0\"\nusing TorchSharp;",
            "torch.arange(1, 5, dtype: torch.float32).pow(2).sum().item<float>()");

        Assert.True(notebook.Succeeded, TestNotebooks.Errors(notebook));
        Assert.Equal("30", ResultOf(notebook, 1));
    }

    [Fact]
    public void LoadGlue_LibraryTheLoaderRefuses_ErrorWithTheLoadersReasonAndWhatToDo()
    {
        // Not a shared library at all: the loader refuses it, as it refuses TorchSharp's where libstdc++ is too old.
        var native = Directory.CreateDirectory(Path.Combine(_folder, "runtimes", "native")).FullName;
        var glue = Path.Combine(native, "libLibTorchSharp.so");
        File.WriteAllText(glue, "not a shared library");
        var package = new RestoredPackage("TorchSharp", "0.107.0", _folder, [], [native], Requested: false);

        var error = Assert.Throws<CellSourceException>(() => TorchSharpNative.LoadGlue(glue, package, new CellLocation("torch.ipynb", 2, 1)));

        Assert.Equal("TorchSharpCannotLoad", error.ErrorName);
        Assert.StartsWith("TorchSharp 0.107.0 restored, but its native library libLibTorchSharp.so cannot load on this machine: ", error.Problem);
        Assert.Contains(glue, error.Problem);                         // the loader's reason names the file
        Assert.Contains("delete their folders in the NuGet cache", error.Problem);
        Assert.EndsWith("then restart the notebook.", error.Problem);
    }

    private static PackageRequest Request(string name, string? version, int line = 1) =>
        new(name, version, new CellLocation("test.ipynb", 2, line));

    private static string ResultOf(ExecutedNotebook notebook, int codeIndex) =>
        Assert.IsType<ExecuteResultOutput>(Assert.Single(TestNotebooks.OutputsOf(notebook, codeIndex))).Data["text/plain"];
}
