using Course.Cli;

namespace Course.Execution.Interactive;

/// <summary>
/// Where the .NET Interactive host is: built in Release beside the runner's sources (lib/Course references it, so building
/// the runner builds it), found from the repository that holds the running runner, or else from the current folder's.
/// </summary>
internal static class InteractiveHostLocation
{
    /// <summary>The host's path inside the repository.</summary>
    public const string RelativePath = "lib/InteractiveHost/bin/Release/net10.0/course-interactive-host.dll";

    /// <summary>The command that builds it.</summary>
    public const string BuildCommand = "dotnet build -c Release lib/InteractiveHost";

    /// <summary>The host DLL's full path.</summary>
    /// <exception cref="InvalidOperationException">No repository, or the host is not built there.</exception>
    public static string Find()
    {
        var root = RepositoryRoot.TryFind(AppContext.BaseDirectory) ?? RepositoryRoot.TryFind(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException(
                $"--kernel {NotebookKernelNames.DotnetInteractive} needs the course repository (no {RepositoryRoot.SolutionFileName} above {AppContext.BaseDirectory} or the current folder).");
        var path = Path.GetFullPath(Path.Combine(root, RelativePath));
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"--kernel {NotebookKernelNames.DotnetInteractive}: the .NET Interactive host is not built ({path} is missing); build it with `{BuildCommand}` in {root}.");
    }
}
