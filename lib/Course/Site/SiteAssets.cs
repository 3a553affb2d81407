using System.Diagnostics;

namespace Course.Site;

/// <summary>
/// Puts KaTeX and plotly.js into the site when npm can fetch them, and otherwise falls back to CDN links.
/// </summary>
/// <remarks>
/// The packages are installed once into a per-user cache (<c>~/.cache/generative-course/npm</c>) and copied from
/// there, so later runs are offline. The course's main command must need nothing but the .NET SDK: any npm
/// problem is one line of notice, never an error.
/// </remarks>
public static class SiteAssets
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The cache folder npm installs into (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, then <c>generative-course/npm</c>).</summary>
    public static string CacheFolder
    {
        get
        {
            var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrEmpty(cacheHome))
            {
                cacheHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }
            return Path.Combine(cacheHome, "generative-course", "npm");
        }
    }

    /// <summary>
    /// Copies the assets into <paramref name="siteDir"/>/assets and returns local links, or returns CDN links after
    /// writing one line to <paramref name="log"/> saying why.
    /// </summary>
    public static AssetLinks Prepare(string siteDir, TextWriter log)
    {
        var packages = Path.Combine(CacheFolder, "node_modules");
        var katex = Path.Combine(packages, "katex", "dist");
        var plotly = Path.Combine(packages, "plotly.js-dist-min");
        if (!IsInstalled(packages) && !TryNpmInstall(out var problem))
        {
            log.WriteLine($"Site: using KaTeX and plotly.js from the CDN ({problem}); figures still show as SVG offline.");
            return AssetLinks.Cdn;
        }
        try
        {
            var assets = Path.Combine(siteDir, "assets");
            CopyFile(Path.Combine(katex, "katex.min.css"), Path.Combine(assets, "katex", "katex.min.css"));
            CopyFile(Path.Combine(katex, "katex.min.js"), Path.Combine(assets, "katex", "katex.min.js"));
            CopyFile(Path.Combine(katex, "contrib", "auto-render.min.js"), Path.Combine(assets, "katex", "contrib", "auto-render.min.js"));
            // Browsers take the first format in katex.min.css's @font-face list they support; every current one reads woff2.
            foreach (var font in Directory.EnumerateFiles(Path.Combine(katex, "fonts"), "*.woff2"))
            {
                CopyFile(font, Path.Combine(assets, "katex", "fonts", Path.GetFileName(font)));
            }
            CopyFile(Path.Combine(plotly, "plotly.min.js"), Path.Combine(assets, "plotly", "plotly.min.js"));
            return AssetLinks.Local;
        }
        catch (IOException exception)
        {
            log.WriteLine($"Site: using KaTeX and plotly.js from the CDN (copying from {CacheFolder} failed: {exception.Message}).");
            return AssetLinks.Cdn;
        }
    }

    /// <summary>True when the pinned versions are in the cache.</summary>
    private static bool IsInstalled(string packages) =>
        File.Exists(Path.Combine(packages, "katex", "dist", "katex.min.js"))
        && File.Exists(Path.Combine(packages, "plotly.js-dist-min", "plotly.min.js"))
        && File.ReadAllText(Path.Combine(packages, "katex", "package.json")).Contains($"\"version\": \"{AssetLinks.KatexVersion}\"")
        && File.ReadAllText(Path.Combine(packages, "plotly.js-dist-min", "package.json")).Contains($"\"version\": \"{AssetLinks.PlotlyVersion}\"");

    private static bool TryNpmInstall(out string problem)
    {
        var npm = FindOnPath(OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
        if (npm is null)
        {
            problem = "npm is not on PATH";
            return false;
        }
        Directory.CreateDirectory(CacheFolder);
        var start = new ProcessStartInfo(npm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = CacheFolder,
        };
        foreach (var argument in new[] { "install", "--prefix", CacheFolder, "--no-audit", "--no-fund", "--loglevel=error",
                     $"katex@{AssetLinks.KatexVersion}", $"plotly.js-dist-min@{AssetLinks.PlotlyVersion}" })
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(NpmTimeout))
            {
                process.Kill(entireProcessTree: true);
                problem = $"npm install took longer than {NpmTimeout.TotalMinutes} minutes";
                return false;
            }
            if (process.ExitCode != 0)
            {
                var firstLine = error.Result.Split('\n').FirstOrDefault(line => line.Contains("ERR", StringComparison.Ordinal))?.Trim();
                problem = $"npm install failed with exit code {process.ExitCode}{(firstLine is null ? "" : ": " + firstLine)}";
                return false;
            }
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            problem = $"npm could not start: {exception.Message}";
            return false;
        }
        problem = "";
        return IsInstalled(Path.Combine(CacheFolder, "node_modules")) || Fail("npm install finished but the packages are not in the cache", out problem);
    }

    private static bool Fail(string message, out string problem)
    {
        problem = message;
        return false;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static void CopyFile(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
    }
}
