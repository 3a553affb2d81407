using System.Diagnostics;

namespace Course.Tests;

/// <summary>
/// Tests that need something outside the repository (the shared fixtures folder, Debian's
/// python3-nbformat) are skipped with a reason saying what is missing and where it is expected,
/// so `dotnet test` passes on a learner's machine with just the .NET SDK. CI sets
/// COURSE_REQUIRE_PREREQUISITES=1: then nothing is skipped and a missing prerequisite fails the
/// test with the same message (xunit 2 has no dynamic skip, hence the attributes below decide at discovery).
/// </summary>
internal static class Prerequisites
{
    /// <summary>True when missing prerequisites must fail rather than skip.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("COURSE_REQUIRE_PREREQUISITES") == "1";

    /// <summary>Fails the running test with the reason when the fixtures are missing (reached only when prerequisites are required).</summary>
    public static void RequireFixtures()
    {
        if (FixturesMissing() is { } reason) Assert.Fail(reason);
    }

    /// <summary>Fails the running test with the reason when nbformat or the fixtures are missing.</summary>
    public static void RequireNbformat()
    {
        if ((NbformatMissing() ?? FixturesMissing()) is { } reason) Assert.Fail(reason);
    }

    /// <summary>The Debian python that has apt's python3-nbformat (a pyenv python3 on PATH may not).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Why the fixtures cannot be used, or null when they are there.</summary>
    public static string? FixturesMissing()
    {
        var folder = TestFolders.FixturesFolder;
        return Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.ipynb").Any()
            ? null
            : $"The conformance fixtures are missing: expected the VS Code-written notebooks of dotnet/csharp-notebooks in '{folder}' (../shared/fixtures/csharp-notebooks beside the repository).";
    }

    private static readonly Lazy<string?> NbformatProblem = new(() =>
    {
        if (!File.Exists(Python)) return $"python3-nbformat is missing: there is no {Python} (install Debian's python3-nbformat).";
        var (exitCode, _, error) = RunPython("import nbformat");
        return exitCode == 0 ? null : $"python3-nbformat is missing: '{Python} -c \"import nbformat\"' failed ({error.Trim()}); install it with 'apt-get install python3-nbformat'.";
    });

    /// <summary>Why nbformat cannot be used, or null when it can.</summary>
    public static string? NbformatMissing() => NbformatProblem.Value;

    /// <summary>Runs <see cref="Python"/> -c <paramref name="code"/> with <paramref name="args"/>.</summary>
    public static (int ExitCode, string Output, string Error) RunPython(string code, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var outputTask = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, outputTask.Result, error);
    }
}

/// <summary>A theory skipped (with the reason) when the fixtures folder is missing, unless prerequisites are required.</summary>
public sealed class FixturesTheoryAttribute : TheoryAttribute
{
    public FixturesTheoryAttribute()
    {
        if (!Prerequisites.Required && Prerequisites.FixturesMissing() is { } reason) Skip = reason;
    }
}

/// <summary>A fact skipped (with the reason) when python3-nbformat or the fixtures are missing, unless prerequisites are required.</summary>
public sealed class NbformatFactAttribute : FactAttribute
{
    public NbformatFactAttribute()
    {
        if (!Prerequisites.Required && (Prerequisites.NbformatMissing() ?? Prerequisites.FixturesMissing()) is { } reason) Skip = reason;
    }
}
