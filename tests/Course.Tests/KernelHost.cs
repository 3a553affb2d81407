using Course.Execution.Interactive;

namespace Course.Tests;

/// <summary>
/// The .NET Interactive host the dotnet-interactive kernel option starts, in its Release build. Building the solution
/// (a plain <c>dotnet test</c> builds it in Debug) does not make that copy: a solution build gives a referenced project
/// the solution's configuration. So the tests that run the real kernel build it first, once per test run, as a learner
/// would with <see cref="InteractiveHostLocation.BuildCommand"/>.
/// </summary>
internal static class KernelHost
{
    private static readonly Lazy<Task> Built = new(BuildAsync);

    /// <summary>Builds the host in Release (once per test run).</summary>
    public static Task EnsureBuiltAsync() => Built.Value;

    private static async Task BuildAsync()
    {
        var (exitCode, output) = await ShellCommand.RunAsync(InteractiveHostLocation.BuildCommand, TestFolders.RepositoryRoot);
        if (exitCode != 0)
            throw new InvalidOperationException($"`{InteractiveHostLocation.BuildCommand}` failed with exit code {exitCode}:\n{output}");
        var path = Path.Combine(TestFolders.RepositoryRoot, InteractiveHostLocation.RelativePath);
        if (!File.Exists(path)) throw new FileNotFoundException($"`{InteractiveHostLocation.BuildCommand}` succeeded but did not produce {path}.", path);
    }
}
