namespace Course.Tests;

/// <summary>Tests that read the process-wide Console, so they must not overlap with cells of other tests.</summary>
[CollectionDefinition(nameof(ProcessConsole), DisableParallelization = true)]
public sealed class ProcessConsole;

[Collection(nameof(ProcessConsole))]
public sealed class ConsoleRestoreTests
{
    [Fact]
    public async Task RunAsync_Cell_RestoresConsoleAfterwards()
    {
        var (output, error) = (Console.Out, Console.Error);

        await TestNotebooks.RunAsync(TestFolders.NewScratch("console"), "console.ipynb", "Console.WriteLine(1);", "throw new Exception();");

        Assert.Same(output, Console.Out);
        Assert.Same(error, Console.Error);
    }
}
