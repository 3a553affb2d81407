namespace Course.Tests;

/// <summary>
/// The library DLL every lesson loads with <c>#r "../lib/Generative/bin/Release/net10.0/Generative.dll"</c>.
/// A plain <c>dotnet test</c> builds the solution in Debug, which neither creates nor refreshes that Release copy,
/// so the tests that execute lessons build it first, once per test run: a stale DLL would test old library code.
/// </summary>
internal static class LessonLibrary
{
    /// <summary>The command a learner (and the dev container) uses to build what the notebooks reference.</summary>
    public const string BuildCommand = "dotnet build -c Release lib/Generative.PlotlyNet/Generative.PlotlyNet.csproj";

    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    /// <summary>The full path of the DLL the lessons reference, relative to notebooks/.</summary>
    public static string DllPath =>
        Path.GetFullPath(Path.Combine(TestFolders.NotebooksFolder, "../lib/Generative/bin/Release/net10.0/Generative.dll"));

    /// <summary>Builds the Release library (once per test run) and returns <see cref="DllPath"/>.</summary>
    public static Task<string> EnsureBuiltAsync() => Built.Value;

    private static async Task<string> BuildAsync()
    {
        var (exitCode, output) = await ShellCommand.RunAsync(BuildCommand, TestFolders.RepositoryRoot);
        if (exitCode != 0)
            throw new InvalidOperationException($"`{BuildCommand}` failed with exit code {exitCode}:\n{output}");
        return File.Exists(DllPath) ? DllPath : throw new FileNotFoundException($"`{BuildCommand}` succeeded but did not produce {DllPath}.", DllPath);
    }
}
