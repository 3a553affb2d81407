using Generative.Notebook;
using Generative.Training;

namespace Generative.Tests.Notebook;

/// <summary>
/// How <see cref="NotebookConsole"/> prints displays: through <see cref="DisplayLines"/> on a writer of the test's own, so
/// no test touches the process's console.
/// </summary>
public class NotebookConsoleTests
{
    private static (DisplayLines Lines, StringWriter Output, TextWriter Console) NewConsole(bool terminal = false)
    {
        var output = new StringWriter { NewLine = "\n" };
        var lines = new DisplayLines(output, padForTerminal: terminal);
        return (lines, output, lines.EndingDisplayLines(output));
    }

    [Fact]
    public void Show_OneLineText_LineStaysOpenUntilOtherOutputEndsIt()
    {
        var (lines, output, console) = NewConsole();

        lines.Show("Figure: loss");
        Assert.Equal("Figure: loss", output.ToString());
        console.WriteLine("after");

        Assert.Equal("Figure: loss\nafter\n", output.ToString());
    }

    [Fact]
    public void Replace_WhileItsLineIsOpen_RewritesTheLineWithCarriageReturn()
    {
        var (lines, output, _) = NewConsole();

        var display = lines.Show("[----] starting");
        lines.Replace(display, "[##--] epoch 1/2");
        lines.Replace(display, "[####] epoch 2/2");
        lines.EndOpenLine();

        Assert.Equal("[----] starting\r[##--] epoch 1/2\r[####] epoch 2/2\n", output.ToString());
    }

    [Fact]
    public void Replace_OnTerminalWithShorterText_PadsOverTheOldText()
    {
        var (lines, output, _) = NewConsole(terminal: true);

        var display = lines.Show("loss 105.29");
        lines.Replace(display, "loss 9.87");

        Assert.Equal("loss 105.29\rloss 9.87  ", output.ToString());
    }

    [Fact]
    public void Replace_AfterOtherOutput_PrintsTheNewValueBelow()
    {
        var (lines, output, console) = NewConsole();

        var display = lines.Show("first");
        console.Write("text\n");
        lines.Replace(display, "second");
        lines.EndOpenLine();

        Assert.Equal("first\ntext\nsecond\n", output.ToString());
    }

    [Fact]
    public void Show_MultiLineText_PrintedWholeAndNeverRewritten()
    {
        var (lines, output, _) = NewConsole();

        var display = lines.Show("tensor([[1, 2],\n        [3, 4]])");
        lines.Replace(display, "tensor([5])");
        lines.EndOpenLine();

        Assert.Equal("tensor([[1, 2],\n        [3, 4]])\ntensor([5])\n", output.ToString());
    }

    [Fact]
    public void FormatPlainText_DisplayableValue_ItsPlainTextForm()
    {
        Assert.Equal(TrainingProgress.Start.ToPlainText(), FormatterConvention.FormatPlainText(TrainingProgress.Start));
    }

    [Fact]
    public void FormatPlainText_PlainValues_AsTheRunnerStoresThem()
    {
        Assert.Equal("[1, 2, 3]", FormatterConvention.FormatPlainText(new[] { 1, 2, 3 }));
        Assert.Equal("(0.1, \"a\")", FormatterConvention.FormatPlainText((0.1, "a")));
        Assert.Equal("<null>", FormatterConvention.FormatPlainText(null));
    }
}
