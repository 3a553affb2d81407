using System.Text.Json;

namespace Course.Tests;

/// <summary>
/// The Codespace definition: it must parse as VS Code reads it (JSON with comments), name the
/// notebook extensions, and its postCreate command must build the DLL the notebooks' first cell loads.
/// </summary>
/// <remarks>
/// Its build rewrites the library DLL that the notebook, site and schema tests load, so it runs alone, after them.
/// </remarks>
[Collection(RebuildsLibraryCollection.Name)]
public class DevcontainerTests
{
    static string RepoRoot => TestFolders.RepositoryRoot;

    static JsonElement ReadDevcontainer()
    {
        var path = Path.Combine(RepoRoot, ".devcontainer", "devcontainer.json");
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        return JsonDocument.Parse(File.ReadAllText(path), options).RootElement;
    }

    [Fact]
    public void Devcontainer_Parses_NamesDotnet10ImageAndNotebookExtensions()
    {
        var root = ReadDevcontainer();
        Assert.Contains("dotnet:10", root.GetProperty("image").GetString());
        var extensions = root.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions); // Polyglot Notebooks
        Assert.Contains("ms-toolsai.jupyter", extensions);
    }

    [Fact]
    public async Task PostCreateCommand_Runs_BuildsTheDllTheNotebooksReference()
    {
        var command = ReadDevcontainer().GetProperty("postCreateCommand").GetString()!;
        var (exitCode, output) = await ShellCommand.RunAsync(command, RepoRoot);
        Assert.True(exitCode == 0, $"postCreateCommand `{command}` failed:\n{output}");

        // Every lesson's first cell loads the library by this path, relative to notebooks/.
        Assert.Equal(LessonLibrary.BuildCommand, command);
        Assert.True(File.Exists(LessonLibrary.DllPath), $"postCreateCommand did not produce {LessonLibrary.DllPath}");
        // Lesson 09 also loads the Plotly.NET bridge, with Plotly.NET copied beside it.
        var bridgeFolder = Path.Combine(RepoRoot, "lib", "Generative.PlotlyNet", "bin", "Release", "net10.0");
        foreach (var dll in new[] { "Generative.PlotlyNet.dll", "Plotly.NET.dll", "Plotly.NET.CSharp.dll" })
            Assert.True(File.Exists(Path.Combine(bridgeFolder, dll)), $"postCreateCommand did not produce {dll} in {bridgeFolder}");
        foreach (var notebook in Directory.GetFiles(Path.Combine(RepoRoot, "notebooks"), "*.ipynb"))
            Assert.Contains("#r \\\"../lib/Generative/bin/Release/net10.0/Generative.dll\\\"", File.ReadAllText(notebook));
    }
}

/// <summary>Tests that rebuild lib/Generative in Release: they must not overlap tests that #r the built DLL.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RebuildsLibraryCollection
{
    public const string Name = "Rebuilds the library";
}
