using Course.Cli;
using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

/// <summary><c>--kernel</c> on the command line: parsed for run and check, and a notebook run with the real kernel is
/// stored so that both kernels' <c>check</c> accept it.</summary>
public sealed class KernelOptionTests
{
    [Fact]
    public void Parse_KernelOption_ReadForRunAndCheckDefaultCourse()
    {
        Assert.Equal(NotebookKernel.DotnetInteractive, CommandLine.Parse(["run", "--kernel", "dotnet-interactive"]).Kernel);
        Assert.Equal(NotebookKernel.Course, CommandLine.Parse(["check", "--kernel", "course"]).Kernel);
        Assert.Equal(NotebookKernel.Course, CommandLine.Parse(["check"]).Kernel);
    }

    [Theory]
    [InlineData(new[] { "check", "--kernel", "jupyter" }, "--kernel needs 'course' or 'dotnet-interactive', not 'jupyter'")]
    [InlineData(new[] { "run", "--kernel" }, "Option '--kernel' needs a value")]
    [InlineData(new[] { "export", "--kernel", "course" }, "Unknown option '--kernel' for 'export'")]
    public void Parse_BadKernelOption_UsageErrorSaysWhat(string[] args, string message)
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(args));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Process_RunWithDotnetInteractive_StoresKernelOutputsThatBothKernelsCheck()
    {
        await KernelHost.EnsureBuiltAsync();
        var folder = TestFolders.NewScratch("kernel-cli");
        try
        {
            var notebook = Path.Combine(folder, "lesson.ipynb");
            NotebookWriter.Write(TestNotebooks.FromCode("display(\"shown\");\nConsole.WriteLine(40 + 2);", "\"done\""), notebook);

            var (runExit, runOutput, runError) = await CourseProcess.RunAsync(folder, "run", notebook, "--in-place", "--out", Path.Combine(folder, "out"), "--kernel", "dotnet-interactive");
            var (kernelCheckExit, kernelCheckOutput, _) = await CourseProcess.RunAsync(folder, "check", notebook, "--kernel", "dotnet-interactive");
            var (courseCheckExit, courseCheckOutput, _) = await CourseProcess.RunAsync(folder, "check", notebook);

            Assert.True(runExit == 0, runOutput + runError);
            var cells = NotebookReader.Read(notebook).CodeCells.ToList();
            Assert.Equal(["display_data", "stream"], cells[0].Outputs.Select(output => output.OutputType));
            Assert.Equal("shown", ((DisplayDataOutput)cells[0].Outputs[0]).Data["text/plain"]);
            Assert.Equal(new StreamOutput("stdout", "42\n"), cells[0].Outputs[1]);
            Assert.Equal("done", Assert.IsType<ExecuteResultOutput>(Assert.Single(cells[1].Outputs)).Data["text/plain"]);
            Assert.Equal((0, 0), (kernelCheckExit, courseCheckExit));
            Assert.Contains("1 of 1 notebooks match", kernelCheckOutput);
            Assert.Contains("1 of 1 notebooks match", courseCheckOutput);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
