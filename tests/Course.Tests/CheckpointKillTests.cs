using System.Diagnostics;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// Training that survives SIGKILL: a real training process (a notebook run by the course's runner, checkpointing after
/// every step) is killed while it writes a checkpoint, again and again, then resumed; its loss curve and final weights
/// equal those of a run that was never interrupted, bit for bit. (In-process interruptions at every kind of position:
/// Generative.Tests' CheckpointTests.)
/// </summary>
public class CheckpointKillTests
{
    private const int Kills = 3;

    /// <summary>A VAE of lesson size (about 0.65 M parameters, so with Adam's moments a checkpoint is about 8 MB and its
    /// write takes long enough to be caught in the middle); its loss samples from the training generator.</summary>
    private static string TrainingCell => """
        var data = Tensor.Bernoulli(Tensor.Full([400, 784], 0.3f), new Generator(5));
        var model = new Vae(784, 400, 20, new Generator(1));
        var history = Trainer.Fit(model, new Adam(model.Parameters(), 1e-3), data, epochs: 2, batchSize: 40, new Generator(9),
            checkpoint: new Checkpointing("checkpoint") { EverySteps = 1 });
        File.WriteAllLines("losses.txt", history.StepLosses.Select(loss => BitConverter.SingleToInt32Bits(loss).ToString()));
        model.Save("final.safetensors");
        """;

    private static async Task<string> WriteTrainingNotebookAsync(string folder)
    {
        var library = await LessonLibrary.EnsureBuiltAsync();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "train.ipynb");
        NotebookWriter.Write(TestNotebooks.FromCode($"#r \"{library}\"\nusing System.IO;\nusing Generative;\nusing Generative.Models;\nusing Generative.Optim;\nusing Generative.Tensors;\nusing Generative.Training;", TrainingCell), path);
        return path;
    }

    private static Process StartRun(string notebook)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(notebook)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "course.dll"), "run", notebook, "--out", "out" }) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    private static async Task RunToEndAsync(string notebook)
    {
        using var process = StartRun(notebook);
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"the training run failed ({process.ExitCode}):\n{output}\n{errors}");
    }

    [Fact]
    public async Task Fit_KilledDuringCheckpointWritesThenResumed_SameLossCurveAndWeightsAsAnUninterruptedRun()
    {
        var scratch = TestFolders.NewScratch("checkpoint-kill");
        var uninterrupted = await WriteTrainingNotebookAsync(Path.Combine(scratch, "uninterrupted"));
        var killed = await WriteTrainingNotebookAsync(Path.Combine(scratch, "killed"));
        var checkpointFolder = Path.Combine(scratch, "killed", "checkpoint");
        Directory.CreateDirectory(checkpointFolder);

        await RunToEndAsync(uninterrupted);
        Assert.Equal(20, File.ReadAllLines(Path.Combine(scratch, "uninterrupted", "losses.txt")).Length);

        var killedMidWrite = 0;
        var stepsAtKill = new List<int>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            // SIGKILL the moment the Nth temporary tensors file of this run appears: the process is then inside
            // Safetensors.Save, before the rename and before the manifest moves on.
            var created = 0;
            Process? process = null;
            using var watcher = new FileSystemWatcher(checkpointFolder, ".checkpoint-*.tmp");
            watcher.Created += (_, _) =>
            {
                if (Interlocked.Increment(ref created) == 2 + kill) process?.Kill();
            };
            watcher.EnableRaisingEvents = true;
            process = StartRun(killed);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(137, process.ExitCode); // 128 + SIGKILL: killed, not finished
            watcher.EnableRaisingEvents = false;
            if (Directory.EnumerateFiles(checkpointFolder, ".checkpoint-*.tmp").Any())
            {
                killedMidWrite++;
            }
            stepsAtKill.Add(Directory.EnumerateFiles(checkpointFolder, "checkpoint-*.safetensors")
                .Select(path => int.Parse(Path.GetFileNameWithoutExtension(path)["checkpoint-".Length..])).Max());
            process.Dispose();
        }
        // Every kill found the previous checkpoint intact and moved the run on; at least one struck inside a write.
        Assert.True(killedMidWrite >= 1, $"no kill landed inside a checkpoint write (steps at each kill: {string.Join(", ", stepsAtKill)})");
        Assert.True(stepsAtKill.SequenceEqual(stepsAtKill.Order()) && stepsAtKill[^1] < 20, $"steps at each kill: {string.Join(", ", stepsAtKill)}");

        await RunToEndAsync(killed);
        Assert.Equal(File.ReadAllLines(Path.Combine(scratch, "uninterrupted", "losses.txt")), File.ReadAllLines(Path.Combine(scratch, "killed", "losses.txt")));
        // Module.Save writes the same bytes for the same weights: equal files are equal weights, bit for bit.
        Assert.Equal(File.ReadAllBytes(Path.Combine(scratch, "uninterrupted", "final.safetensors")), File.ReadAllBytes(Path.Combine(scratch, "killed", "final.safetensors")));
        Assert.Empty(Directory.EnumerateFiles(checkpointFolder, ".*.tmp"));
    }
}
