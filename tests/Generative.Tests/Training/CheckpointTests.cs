using System.Text;
using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;
using Generative.Tests.Data;
using Generative.Training;

namespace Generative.Tests.Training;

/// <summary>Checkpoint and resume: a run interrupted anywhere and resumed in fresh objects gives the uninterrupted run's
/// losses and weights bit for bit; damaged or mismatched checkpoints are refused with nothing changed. (A real process
/// killed while writing a checkpoint: Course.Tests' CheckpointKillTests.)</summary>
public class CheckpointTests
{
    private sealed class Interrupted : Exception;

    private const int Examples = 70, BatchSize = 16, Epochs = 3; // 5 steps per epoch, the last one partial

    private static Tensor BinaryData() => Tensor.Bernoulli(Tensor.Full([Examples, 12], 0.35f), new Generator(5));

    /// <summary>A VAE: its loss draws normals from the training generator, so the generator's state (with its spare
    /// normal) must be restored exactly.</summary>
    private static Vae NewVae(ulong seed) => new(dimensions: 12, hiddenUnits: 10, latentDimensions: 3, generator: new Generator(seed));

    private static double TestLoss(Vae model) => model.Loss(BinaryData(), new Generator(77)).Item();

    /// <summary>Trains a VAE that throws <see cref="Interrupted"/> when step <paramref name="interruptAfterStep"/> + 1
    /// begins, as a crash between two steps would.</summary>
    private static void FitUntilInterrupted(Vae model, Generator generator, Checkpointing checkpoint, int interruptAfterStep)
    {
        var steps = 0;
        Assert.Throws<Interrupted>(() => Trainer.Fit(x =>
        {
            if (++steps > interruptAfterStep) throw new Interrupted();
            return model.Loss(x, generator);
        }, new Adam(model.Parameters(), 0.01), BinaryData(), Epochs, BatchSize, generator, () => TestLoss(model),
            checkpoint: checkpoint with { Module = model }));
    }

    [Theory]
    [InlineData(1, 1)]   // after the first step
    [InlineData(4, 2)]   // mid-epoch 1, every two steps
    [InlineData(5, 5)]   // exactly at the end of epoch 1
    [InlineData(8, 3)]   // mid-epoch 2, back to the checkpoint of step 6
    [InlineData(12, null)] // every epoch: back to the end of epoch 2
    [InlineData(14, 1)]  // the last step but one
    public void Fit_VaeInterruptedThenResumedInFreshObjects_SameLossesTestCurveAndWeightsAsOneRun(int interruptAfterStep, int? everySteps)
    {
        var expectedModel = NewVae(1);
        var expected = Trainer.Fit(expectedModel, new Adam(expectedModel.Parameters(), 0.01), BinaryData(), Epochs, BatchSize,
            new Generator(9), () => TestLoss(expectedModel));

        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path) { EverySteps = everySteps };
        FitUntilInterrupted(NewVae(1), new Generator(9), checkpoint, interruptAfterStep);
        Assert.True(checkpoint.Exists);

        // Resumed as a new process would: other initial weights, a fresh optimiser, a generator with another seed.
        var resumedModel = NewVae(1234);
        var progress = new List<TrainingProgress>();
        var resumed = Trainer.Fit(resumedModel, new Adam(resumedModel.Parameters(), 0.01), BinaryData(), Epochs, BatchSize,
            new Generator(4242), () => TestLoss(resumedModel), progress.Add, reportEvery: 2, checkpoint: checkpoint);

        Assert.Equal(expected.StepLosses, resumed.StepLosses);
        Assert.Equal(expected.EpochLosses, resumed.EpochLosses);
        Assert.Equal(expected.TestLosses, resumed.TestLosses);
        Assert.Equal(expectedModel.StateDict().Select(p => (p.Key, p.Value.ToArray())), resumedModel.StateDict().Select(p => (p.Key, p.Value.ToArray())));
        Assert.True(progress[^1].IsFinished);
        Assert.Equal(expected.EpochLosses[^1], progress[^1].RecentLoss);
        // One tensors file and the manifest: older checkpoints are removed as each new one lands.
        Assert.Equal(["checkpoint-000000015.safetensors", "checkpoint.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fit_BatchNormModelResumedMidEpoch_RunningStatisticsAndSgdMomentumRestored()
    {
        static (Sequential Model, Func<Tensor, Tensor> Loss) Network(ulong seed)
        {
            var model = new Sequential(new Linear(3, 8, generator: new Generator(seed)), new BatchNorm1d(8), new Relu(),
                new Linear(8, 1, generator: new Generator(seed + 1)));
            return (model, x => Losses.MseLoss(model.Forward(x), x.Sum(1, keepDim: true)));
        }
        var data = Tensor.Randn([50, 3], new Generator(3));
        var (expectedModel, expectedLoss) = Network(1);
        var expected = Trainer.Fit(expectedLoss, new Sgd(expectedModel.Parameters(), 0.05, momentum: 0.9), data, 2, 8, new Generator(2));

        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path) { EverySteps = 4 };
        var (first, firstLoss) = Network(1);
        var steps = 0;
        Assert.Throws<Interrupted>(() => Trainer.Fit(x => ++steps > 10 ? throw new Interrupted() : firstLoss(x),
            new Sgd(first.Parameters(), 0.05, momentum: 0.9), data, 2, 8, new Generator(2), checkpoint: checkpoint with { Module = first }));

        var (resumedModel, resumedLoss) = Network(50);
        var resumed = Trainer.Fit(resumedLoss, new Sgd(resumedModel.Parameters(), 0.05, momentum: 0.9), data, 2, 8, new Generator(0),
            checkpoint: checkpoint with { Module = resumedModel });

        Assert.Equal(expected.StepLosses, resumed.StepLosses);
        Assert.Equal(expectedModel.StateDict().Select(p => (p.Key, p.Value.ToArray())), resumedModel.StateDict().Select(p => (p.Key, p.Value.ToArray())));
        Assert.Contains(resumedModel.NamedBuffers(), buffer => buffer.Name.EndsWith("running_mean", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_FinishedCheckpoint_ReturnsTheHistoryWithoutTraining()
    {
        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path);
        var model = NewVae(1);
        var history = Trainer.Fit(model, new Adam(model.Parameters(), 0.01), BinaryData(), Epochs, BatchSize, new Generator(9), checkpoint: checkpoint);

        var again = NewVae(1);
        var calls = 0;
        var resumed = Trainer.Fit(x => { calls++; return again.Loss(x, new Generator(1)); }, new Adam(again.Parameters(), 0.01), BinaryData(),
            Epochs, BatchSize, new Generator(9), checkpoint: checkpoint with { Module = again });
        Assert.Equal(0, calls);
        Assert.Equal(history.StepLosses, resumed.StepLosses);
        Assert.Equal(model.StateDict().Select(p => p.Value.ToArray()), again.StateDict().Select(p => p.Value.ToArray()));

        var fewer = NewVae(3);
        var error = Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(fewer, new Adam(fewer.Parameters()), BinaryData(), Epochs - 1, BatchSize, new Generator(9), checkpoint: checkpoint));
        Assert.Contains($"is at epoch {Epochs}, beyond the {Epochs - 1} epoch(s) this call asks for", error.Message);
    }

    [Fact]
    public void Fit_TensorsFileWithOneBitFlipped_RefusedNamingChecksumAndNothingChanged()
    {
        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path) { EverySteps = 3 };
        FitUntilInterrupted(NewVae(1), new Generator(9), checkpoint, 4);
        var tensorsPath = Directory.GetFiles(folder.Path, "checkpoint-*.safetensors").Single();
        var bytes = File.ReadAllBytes(tensorsPath);
        bytes[^5] ^= 0x10;
        File.WriteAllBytes(tensorsPath, bytes);

        var model = NewVae(2);
        var before = model.StateDict().Select(p => p.Value.ToArray()).ToList();
        var optimizer = new Adam(model.Parameters(), 0.01);
        var error = Assert.Throws<InvalidDataException>(() =>
            Trainer.Fit(model, optimizer, BinaryData(), Epochs, BatchSize, new Generator(9), checkpoint: checkpoint));
        Assert.StartsWith($"Checkpoint '{checkpoint.ManifestPath}': 'checkpoint-000000003.safetensors' has SHA-256 ", error.Message);
        Assert.EndsWith("Nothing was loaded; delete the folder (or pass Resume = false) to start the run over.", error.Message);
        Assert.Equal(before, model.StateDict().Select(p => p.Value.ToArray()));
        Assert.Equal(0, optimizer.StepCount(0));
    }

    [Theory]
    [InlineData("not json at all", "it is not a checkpoint manifest")]
    [InlineData("{\"format\": \"something/else\"}", "its format is 'something/else'")]
    public void Fit_DamagedManifest_RefusedNamingTheFile(string manifest, string problem)
    {
        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path);
        File.WriteAllText(checkpoint.ManifestPath, manifest);
        var model = NewVae(1);
        var error = Assert.Throws<InvalidDataException>(() =>
            Trainer.Fit(model, new Adam(model.Parameters()), BinaryData(), Epochs, BatchSize, new Generator(9), checkpoint: checkpoint));
        Assert.StartsWith($"Checkpoint '{checkpoint.ManifestPath}': {problem}", error.Message);
    }

    [Fact]
    public void Fit_CheckpointOfAnotherModelOrBatchSize_RefusedWithBothShapes()
    {
        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path) { EverySteps = 3 };
        FitUntilInterrupted(NewVae(1), new Generator(9), checkpoint, 4);

        var wider = new Vae(dimensions: 12, hiddenUnits: 11, latentDimensions: 3, generator: new Generator(1));
        var shapeError = Assert.Throws<InvalidDataException>(() =>
            Trainer.Fit(wider, new Adam(wider.Parameters()), BinaryData(), Epochs, BatchSize, new Generator(9), checkpoint: checkpoint));
        Assert.Contains("tensor 'parameter.0' has shape (10, 12) in the checkpoint but (11, 12) in the run", shapeError.Message);

        var model = NewVae(1);
        var before = model.StateDict().Select(p => p.Value.ToArray()).ToList();
        var batchError = Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(model, new Adam(model.Parameters()), BinaryData(), Epochs, 8, new Generator(9), checkpoint: checkpoint));
        Assert.Contains("was taken with batch size 16 over 70 examples, but this call has batch size 8 over 70", batchError.Message);
        Assert.Equal(before, model.StateDict().Select(p => p.Value.ToArray()));

        var sgdError = Assert.Throws<InvalidDataException>(() =>
            Trainer.Fit(model, new Sgd(model.Parameters(), 0.1), BinaryData(), Epochs, BatchSize, new Generator(9), checkpoint: checkpoint));
        Assert.Contains("it is the state of Adam, not Sgd", sgdError.Message);
    }

    [Fact]
    public void Fit_DebrisOfAnInterruptedWrite_RemovedOtherFilesKept()
    {
        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path);
        File.WriteAllText(folder.File(".checkpoint-000000007.safetensors.0123abcd.tmp"), "half a file");
        File.WriteAllText(folder.File(".checkpoint.json.4567ef.tmp"), "{");
        File.WriteAllText(folder.File("checkpoint-000000002.safetensors"), "no manifest names me");
        File.WriteAllText(folder.File("notes.txt"), "the learner's own file");
        var model = NewVae(1);
        Trainer.Fit(model, new Adam(model.Parameters()), BinaryData(), 1, BatchSize, new Generator(9), checkpoint: checkpoint);
        Assert.Equal(["checkpoint-000000005.safetensors", "checkpoint.json", "notes.txt"],
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Checkpointing_InvalidSettings_RefusedBeforeTraining()
    {
        using var folder = new TemporaryDirectory();
        var model = NewVae(1);
        var calls = 0;
        Func<Tensor, Tensor> loss = x => { calls++; return model.Loss(x, new Generator(1)); };
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(loss, new Adam(model.Parameters()), BinaryData(), 1, BatchSize,
            new Generator(9), checkpoint: new Checkpointing(folder.Path) { EverySteps = 0 }));
        File.WriteAllText(folder.File("a-file"), "");
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(loss, new Adam(model.Parameters()), BinaryData(), 1, BatchSize,
            new Generator(9), checkpoint: new Checkpointing(folder.File("a-file"))));
        Assert.Contains("is a file, not a folder", error.Message);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Manifest_AfterASave_HoldsTheStateAsReadableJson()
    {
        using var folder = new TemporaryDirectory();
        var checkpoint = new Checkpointing(folder.Path) { EverySteps = 2 };
        FitUntilInterrupted(NewVae(1), new Generator(9), checkpoint, 3);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(checkpoint.ManifestPath, Encoding.UTF8))!;
        Assert.Equal("checkpoint-000000002.safetensors", (string?)manifest["tensors"]);
        Assert.Equal(1, (int)manifest["epoch"]!);
        Assert.Equal(2, (int)manifest["step"]!);
        Assert.Equal(5, (int)manifest["steps_per_epoch"]!);
        Assert.Equal("Adam", (string?)manifest["optimizer"]!["type"]);
        Assert.Equal(2, (long)manifest["optimizer"]!["counters"]!["0.step"]!);
        Assert.Equal(4, manifest["generator"]!["words"]!.AsArray().Count);
        var file = Safetensors.Load(Path.Combine(folder.Path, (string)manifest["tensors"]!));
        Assert.Equal(2, file["trainer.step_losses"].Data.Length);
        Assert.Equal(file["parameter.0"].Data.Length, file["optimizer.0.exp_avg"].Data.Length);
    }
}
