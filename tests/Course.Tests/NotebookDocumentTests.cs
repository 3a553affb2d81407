using System.Text.Json.Nodes;
using Course.Notebooks;

namespace Course.Tests;

public sealed class NotebookDocumentTests : IDisposable
{
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private readonly string _folder = TestFolders.NewScratch("document");

    private const string NotebookWithEverything = """
        {
          "cells": [
            { "cell_type": "markdown", "id": "intro", "metadata": { "tags": ["keep"] }, "source": "# Title\nText",
              "attachments": { "a.png": { "image/png": "iVBORw0KGgo=" } } },
            { "cell_type": "code", "execution_count": 3, "id": "code-1",
              "metadata": { "dotnet_interactive": { "language": "csharp" }, "custom": { "n": 1.50 } },
              "outputs": [
                { "output_type": "stream", "name": "stdout", "text": ["a\n", "b"] },
                { "output_type": "display_data", "data": { "text/plain": "x", "application/json": { "k": [1, 2] } }, "metadata": { "isolated": true } },
                { "output_type": "execute_result", "execution_count": 3, "data": { "text/html": ["<b>\n", "</b>"] }, "metadata": {} },
                { "output_type": "error", "ename": "E", "evalue": "bad", "traceback": ["line 1", "line 2"] }
              ],
              "source": ["var x = 1;\n", "x"] }
          ],
          "metadata": { "kernelspec": { "name": ".net-csharp" }, "vscode": { "unknown": ["kept"] } },
          "nbformat": 4,
          "nbformat_minor": 5,
          "unknown_top_level": 7
        }
        """;

    [Fact]
    public void Parse_AllOutputKinds_ReadAsTheirTypes()
    {
        var document = NotebookReader.Parse(NotebookWithEverything, "all.ipynb");

        var outputs = document.Cells[1].Outputs;
        Assert.Equal(new StreamOutput("stdout", "a\nb"), outputs[0]);
        var display = Assert.IsType<DisplayDataOutput>(outputs[1]);
        Assert.Equal("x", display.Data["text/plain"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"k":[1,2]}"""), JsonNode.Parse(display.Data["application/json"])));
        var result = Assert.IsType<ExecuteResultOutput>(outputs[2]);
        Assert.Equal((3, "<b>\n</b>"), (result.ExecutionCount!.Value, result.Data["text/html"]));
        var error = Assert.IsType<ErrorOutput>(outputs[3]);
        Assert.Equal(("E", "bad"), (error.EName, error.EValue));
        Assert.Equal(["line 1", "line 2"], error.Traceback);
        Assert.Equal("var x = 1;\nx", document.Cells[1].Source);
        Assert.Equal("# Title\nText", document.Title is null ? null : document.Cells[0].Source);
        Assert.Equal("Title", document.Title);
    }

    [Fact]
    public void WriteThenRead_EveryPart_EqualAndUnknownJsonKept()
    {
        var original = NotebookReader.Parse(NotebookWithEverything, "all.ipynb");
        var path = Path.Combine(_folder, "all.ipynb");

        NotebookWriter.Write(original, path);
        var reread = NotebookReader.Read(path);

        // Independent of this model: the JSON trees must be equal, key for key, apart from layout.
        var expectedJson = JsonNode.Parse(NotebookWithEverything)!;
        // Multi-line strings are always written as lists of lines, as Jupyter does.
        expectedJson["cells"]![0]!["source"] = new JsonArray("# Title\n", "Text");
        expectedJson["cells"]![1]!["outputs"]![1]!["data"]!["text/plain"] = new JsonArray("x");
        Assert.True(JsonNode.DeepEquals(expectedJson, JsonNode.Parse(File.ReadAllText(path))), File.ReadAllText(path));
        Assert.Equal(NotebookWriter.Serialize(original), NotebookWriter.Serialize(reread));
    }

    [Fact]
    public async Task WriteThenRead_ExecutedNotebook_SameOutputsAndSameText()
    {
        var path = Path.Combine(_folder, "executed.ipynb");
        var executed = await Course.Execution.NotebookRunner.RunAsync(
            TestNotebooks.FromCode("Console.WriteLine(\"out\");\nConsole.Error.Write(\"err\");\ndisplay(new[] { 1, 2 });\n0.1 + 0.2", "throw new Exception(\"stop\");", "1"), path);

        NotebookWriter.Write(executed.Document, path);
        var reread = NotebookReader.Read(path);

        Assert.Equal(NotebookWriter.Serialize(executed.Document), NotebookWriter.Serialize(reread));
        for (var index = 0; index < reread.Cells.Count; index++)
        {
            Assert.Equal(executed.Document.Cells[index].Outputs.Count, reread.Cells[index].Outputs.Count);
            Assert.Equal(executed.Document.Cells[index].ExecutionCount, reread.Cells[index].ExecutionCount);
        }
        Assert.Empty(Course.Checking.NotebookChecker.Compare(executed.Document, reread, "executed.ipynb"));
    }

    [Fact]
    public void Serialize_Layout_OneSpaceIndentSortedKeysTrailingNewline()
    {
        var text = NotebookWriter.Serialize(NotebookReader.Parse(NotebookWithEverything, "all.ipynb"));

        Assert.StartsWith("{\n \"cells\": [\n  {\n   \"attachments\": {", text);
        Assert.EndsWith("\n \"unknown_top_level\": 7\n}\n", text);
        Assert.Contains("\"custom\": {\n     \"n\": 1.50\n    }", text);
    }

    [Fact]
    public void Serialize_NonAsciiAndControlCharacters_EscapedLikePython()
    {
        var document = TestNotebooks.FromCode("var s = \"✔ é \t \u0001 \\\"\";");

        var text = NotebookWriter.Serialize(document);

        Assert.Contains("\"var s = \\\"✔ é \\t \\u0001 \\\\\\\"\\\";\"", text);
    }

    [Fact]
    public void Parse_CellsWithoutIds_StableIdsFromFileNameAndIndex()
    {
        const string json = """{"cells":[{"cell_type":"markdown","metadata":{},"source":"a"},{"cell_type":"markdown","metadata":{},"source":"b"}],"metadata":{},"nbformat":4,"nbformat_minor":4}""";

        var first = NotebookReader.Parse(json, "lesson.ipynb");
        var second = NotebookReader.Parse(json, "lesson.ipynb");
        var other = NotebookReader.Parse(json, "other.ipynb");

        Assert.Equal(first.Cells.Select(cell => cell.Id), second.Cells.Select(cell => cell.Id));
        Assert.NotEqual(first.Cells[0].Id, first.Cells[1].Id);
        Assert.NotEqual(first.Cells[0].Id, other.Cells[0].Id);
        Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", first.Cells[0].Id);
        Assert.Contains("\"nbformat_minor\": 5", NotebookWriter.Serialize(first));
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("""{"nbformat":3,"cells":[]}""", "is nbformat 3")]
    [InlineData("""{"nbformat":4}""", "has no 'cells' list")]
    [InlineData("""{"nbformat":4,"cells":[{"cell_type":"code","outputs":[{"output_type":"weird"}]}]}""", "cell 1 output 1 has unknown output_type 'weird'")]
    public void Parse_BadNotebook_ErrorNamesFileAndProblem(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => NotebookReader.Parse(json, "broken.ipynb"));
        Assert.Contains("'broken.ipynb'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Read_MissingFile_ErrorNamesPath()
    {
        var path = Path.Combine(_folder, "absent.ipynb");
        var error = Assert.Throws<FileNotFoundException>(() => NotebookReader.Read(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Write_ExistingFile_ReplacedWithoutLeftoverTemporaryFiles()
    {
        var path = Path.Combine(_folder, "atomic.ipynb");
        File.WriteAllText(path, "old");

        NotebookWriter.Write(TestNotebooks.FromCode("1"), path);

        Assert.Equal(["atomic.ipynb"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.Equal("1", NotebookReader.Read(path).CodeCells.Single().Source);
    }

    [Fact]
    public void PolyglotApply_ExistingMetadata_KeptAndMissingKeysAdded()
    {
        var document = NotebookReader.Parse(NotebookWithEverything, "all.ipynb");

        var applied = PolyglotMetadata.Apply(document);

        Assert.Equal(".net-csharp", applied.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal(".NET (C#)", applied.Metadata["kernelspec"]!["display_name"]!.GetValue<string>());
        Assert.Equal("kept", applied.Metadata["vscode"]!["unknown"]![0]!.GetValue<string>());
        Assert.Equal("csharp", applied.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        var codeMetadata = applied.Cells[1].Metadata;
        Assert.Equal("csharp", codeMetadata["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.Equal(1.5, codeMetadata["custom"]!["n"]!.GetValue<double>());
        Assert.DoesNotContain(applied.Cells[0].Metadata, pair => pair.Key != "tags");
    }

    [FixturesTheory]
    [MemberData(nameof(FixtureNotebooks.Names), MemberType = typeof(FixtureNotebooks))]
    public void Read_VsCodeFixture_CellsAndOutputsAsInTheJson(string fileName)
    {
        Prerequisites.RequireFixtures();
        var path = Path.Combine(TestFolders.FixturesFolder, fileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!;

        var document = NotebookReader.Read(path);

        var cellsJson = json["cells"]!.AsArray();
        Assert.Equal(cellsJson.Count, document.Cells.Count);
        for (var index = 0; index < cellsJson.Count; index++)
        {
            Assert.Equal(cellsJson[index]!["cell_type"]!.GetValue<string>(), document.Cells[index].CellType);
            Assert.Equal(string.Concat(cellsJson[index]!["source"]!.AsArray().Select(line => line!.GetValue<string>())), document.Cells[index].Source);
            Assert.Equal((cellsJson[index]!["outputs"] as JsonArray)?.Count ?? 0, document.Cells[index].Outputs.Count);
        }
        Assert.True(JsonNode.DeepEquals(json["metadata"], NotebookWriter.ToJson(document)["metadata"]));
    }
}
