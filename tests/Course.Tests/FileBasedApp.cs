using System.Diagnostics;

namespace Course.Tests;

/// <summary>
/// Builds and runs an exported .cs file as a learner would, with the .NET SDK in a child process: <c>dotnet build file.cs</c>,
/// whose compiler warnings would otherwise come first on <c>dotnet run</c>'s output, then <c>dotnet run --no-build file.cs</c>,
/// whose output is the program's alone.
/// </summary>
/// <remarks>
/// Both get <c>--artifacts-path</c>, a folder beside the file, which holds the whole build: the app's and, since the option
/// reaches project references too, the library's (its bin and obj). So the test writes nothing into lib/Generative, whose
/// Release DLL the tests that execute notebooks are loading, and nothing into the user's cache of file-based apps; it pays
/// for it by compiling the library once per test (about 10 s).
/// </remarks>
internal static class FileBasedApp
{
    /// <summary>Longer than any lesson's build and run on a loaded 2-core machine; a hung child fails the test instead of the run.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>Builds and runs <paramref name="file"/> from its folder.</summary>
    public static async Task<AppRun> BuildAndRunAsync(string file)
    {
        var artifacts = Path.Combine(Path.GetDirectoryName(file)!, "build");
        var build = await DotnetAsync(file, "build", file, "--artifacts-path", artifacts);
        Assert.True(build.ExitCode == 0, $"`dotnet build {file}` failed:\n{build.Output}\n{build.Error}");
        var run = await DotnetAsync(file, "run", "--no-build", "--artifacts-path", artifacts, file);
        Assert.True(run.ExitCode == 0, $"`dotnet run {file}` failed with exit code {run.ExitCode}:\n{run.Error}\n--- output:\n{run.Output}");
        return new AppRun(run.Output, run.Error, build.Elapsed, run.Elapsed);
    }

    private static async Task<(int ExitCode, string Output, string Error, TimeSpan Elapsed)> DotnetAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(file)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // No MSBuild node outlives the build holding the test's pipes open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`dotnet {string.Join(' ', args)}` was still running after {Limit.TotalMinutes} minutes.");
        }
        return (process.ExitCode, await output, await error, stopwatch.Elapsed);
    }
}

/// <summary>What a run printed, and how long the build and the run took.</summary>
internal sealed record AppRun(string Output, string Error, TimeSpan BuildTime, TimeSpan RunTime);

/// <summary>The tests that build file-based apps, one at a time: each compiles the library, and the machine may have two cores.</summary>
[CollectionDefinition(Name)]
public sealed class FileBasedAppsCollection
{
    public const string Name = "Builds file-based apps";
}
