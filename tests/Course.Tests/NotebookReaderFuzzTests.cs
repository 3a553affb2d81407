using FsCheck;
using FsCheck.Fluent;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// Property-based fuzzing (FsCheck) of the notebook reader: thousands of truncated, character-flipped and spliced
/// variants of a real lesson either parse or throw the documented <see cref="InvalidDataException"/> naming the file,
/// never another exception, and never allocate more than a small multiple of the text.
/// </summary>
public sealed class NotebookReaderFuzzTests
{
    private const int Runs = 2000;

    /// <summary>A fixed seed, so a run is reproducible; quiet on success, since a line printed to Console while another
    /// test's notebook cell runs would land in that cell's output.</summary>
    private static Config Settings(ulong seed) =>
        Config.QuickThrowOnFailure.WithQuietOnSuccess(true).WithMaxTest(Runs).WithReplay(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), null));

    private static bool KeepsContract(string json)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            NotebookReader.Parse(json, "fuzz.ipynb");
        }
        catch (InvalidDataException exception) when (exception.Message.Contains("fuzz.ipynb"))
        {
        }
        return GC.GetAllocatedBytesForCurrentThread() - before <= 64L * json.Length + (1 << 20);
    }

    /// <summary>A small lesson-like notebook: markdown, code with stream, result and error outputs.</summary>
    private static string Valid()
    {
        var document = TestNotebooks.FromCode("Console.WriteLine(\"hi\");", "1 + 1", "throw new Exception(\"x\");");
        var folder = TestFolders.NewScratch("fuzz-notebook");
        var path = Path.Combine(folder, "valid.ipynb");
        var executed = Course.Execution.NotebookRunner.RunAsync(document, path, options: Course.Execution.RunOptions.Default with { AllowErrors = true }).GetAwaiter().GetResult();
        NotebookWriter.Write(executed.Document, path);
        return File.ReadAllText(path);
    }

    [Fact]
    public void Parse_MutatedNotebooks_ParseOrThrowInvalidDataNamingTheFile()
    {
        var valid = Valid();
        var characters = "{}[]\":,0123456789-enulltrfasx\\ \n\u00e9\ud83d\ude00";
        var mutations = Gen.OneOf(
            Gen.Choose(0, valid.Length - 1).Select(length => valid[..length]),
            Gen.Choose(0, valid.Length - 1).SelectMany(at => Gen.Choose(0, characters.Length - 1).Select(c => valid[..at] + characters[c] + valid[(at + 1)..])),
            Gen.Choose(0, valid.Length - 1).SelectMany(from => Gen.Choose(0, valid.Length - 1).Select(to =>
                from <= to ? valid[..from] + valid[to..] : valid[..to] + valid[from..] + valid[to..from])));
        Prop.ForAll(mutations.ToArbitrary(), KeepsContract).Check(Settings(7));
    }

    [Theory]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": 7, "metadata": {}, "outputs": []}]}""", "neither a string nor a list of strings")]
    [InlineData("""{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": [1e999]}]}]}""", "fuzz.ipynb")]
    [InlineData("""{"nbformat": 1e400, "cells": []}""", "fuzz.ipynb")]
    [InlineData("""[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[""", "is not valid JSON")]
    public void Parse_AdversarialNotebooks_ThrowNamingTheFile(string json, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => NotebookReader.Parse(json, "fuzz.ipynb"));
        Assert.Contains("fuzz.ipynb", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
