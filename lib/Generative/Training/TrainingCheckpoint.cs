using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Generative.IO;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Training;

/// <summary>Where a run stood after a step, with what it needs to continue (see <see cref="Checkpointing"/>).</summary>
/// <param name="Epoch">The epoch of the last step done, 1-based.</param>
/// <param name="Step">Steps done in that epoch (all of them once the epoch has ended).</param>
/// <param name="Epochs">Epochs the run was asked for.</param>
/// <param name="StepsPerEpoch">Steps in one epoch.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="Examples">Examples in the training data.</param>
/// <param name="Generator">The training generator's state after the step.</param>
/// <param name="EpochStartGenerator">Its state when the epoch began, which redraws the epoch's shuffle.</param>
/// <param name="StepLosses">The loss of every step so far.</param>
/// <param name="EpochLosses">The mean loss of every finished epoch.</param>
/// <param name="TestLosses">The test loss after every finished epoch that had one.</param>
internal sealed record TrainingSnapshot(int Epoch, int Step, int Epochs, int StepsPerEpoch, int BatchSize, int Examples,
    GeneratorState Generator, GeneratorState EpochStartGenerator,
    IReadOnlyList<float> StepLosses, IReadOnlyList<double> EpochLosses, IReadOnlyList<double> TestLosses)
{
    /// <summary>True once the epoch's last step is done.</summary>
    public bool EpochEnded => Step == StepsPerEpoch;
}

/// <summary>Writes and reads the two files of a checkpoint: the tensors (safetensors) and the manifest (JSON), in the
/// order that makes a checkpoint atomic.</summary>
internal static class TrainingCheckpoint
{
    public const string ManifestName = "checkpoint.json";
    private const string Format = "generative-course.checkpoint/1";
    private const string TensorsPrefix = "checkpoint-";
    private const string StepLossesKey = "trainer.step_losses";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a test loss may be NaN
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Saves <paramref name="snapshot"/> with the optimiser's parameters and state and the module's buffers.</summary>
    public static void Save(Checkpointing checkpoint, Optimizer optimizer, TrainingSnapshot snapshot)
    {
        Directory.CreateDirectory(checkpoint.Directory);
        var tensors = new Dictionary<string, (int[] Shape, float[] Data)>(StringComparer.Ordinal);
        for (var i = 0; i < optimizer.Parameters.Count; i++)
        {
            tensors[ParameterKey(i)] = (optimizer.Parameters[i].Shape, optimizer.Parameters[i].ToArray());
        }
        var bufferNames = new List<string>();
        foreach (var (name, buffer) in checkpoint.Module?.NamedBuffers() ?? [])
        {
            tensors[BufferKey(name)] = (buffer.Shape, buffer.ToArray());
            bufferNames.Add(name);
        }
        var state = optimizer.GetState();
        foreach (var (key, values) in state.Buffers)
        {
            tensors[OptimizerKey(key)] = ([values.Length], values);
        }
        tensors[StepLossesKey] = ([snapshot.StepLosses.Count], [.. snapshot.StepLosses]);

        // The tensors first (itself written beside and renamed into place), then the manifest that names them.
        var tensorsName = $"{TensorsPrefix}{snapshot.StepLosses.Count:D9}.safetensors";
        var tensorsPath = Path.Combine(checkpoint.Directory, tensorsName);
        Safetensors.Save(tensorsPath, tensors);
        var manifest = new Manifest(Format, tensorsName, Sha256.HexOfFile(tensorsPath), snapshot.Epoch, snapshot.Step, snapshot.Epochs,
            snapshot.StepsPerEpoch, snapshot.BatchSize, snapshot.Examples, optimizer.Parameters.Count, bufferNames,
            new OptimizerEntry(state.Optimizer, state.LearningRate, new SortedDictionary<string, long>(state.Counters.ToDictionary(), StringComparer.Ordinal)),
            GeneratorEntry.From(snapshot.Generator), GeneratorEntry.From(snapshot.EpochStartGenerator),
            [.. snapshot.EpochLosses], [.. snapshot.TestLosses]);
        AtomicFile.WriteAllBytes(checkpoint.ManifestPath, JsonSerializer.SerializeToUtf8Bytes(manifest, Json));
        RemoveDebris(checkpoint.Directory, keep: tensorsName);
    }

    /// <summary>Reads the checkpoint in <paramref name="checkpoint"/>'s folder, checks that it belongs to a run of
    /// <paramref name="examples"/> examples in batches of <paramref name="batchSize"/> and fits <paramref name="optimizer"/>
    /// (and the module), and only then restores parameters, buffers and optimiser state.</summary>
    /// <exception cref="ArgumentException">The checkpoint is of a run with another batch size or number of examples, or
    /// is past <paramref name="epochs"/>; nothing was changed.</exception>
    /// <exception cref="InvalidDataException">The manifest or the tensors are damaged, missing or do not fit; the message
    /// names the file and the problem, and nothing was changed.</exception>
    public static TrainingSnapshot Load(Checkpointing checkpoint, Optimizer optimizer, int epochs, int batchSize, int examples)
    {
        var manifestPath = checkpoint.ManifestPath;
        var manifest = ReadManifest(manifestPath);
        if (manifest.BatchSize != batchSize || manifest.Examples != examples)
        {
            throw new ArgumentException(
                $"Trainer.Fit: the checkpoint '{manifestPath}' was taken with batch size {manifest.BatchSize} over " +
                $"{manifest.Examples} examples, but this call has batch size {batchSize} over {examples}; resume with the same " +
                "data and batch size, or pass Resume = false to start over. Nothing was loaded.", nameof(checkpoint));
        }
        if (manifest.Epoch > epochs)
        {
            throw new ArgumentException(
                $"Trainer.Fit: the checkpoint '{manifestPath}' is at epoch {manifest.Epoch}, beyond the {epochs} epoch(s) this " +
                "call asks for; ask for at least as many, or pass Resume = false to start over. Nothing was loaded.", nameof(checkpoint));
        }
        var generatorState = manifest.Generator.ToState(manifestPath);
        var epochStartGeneratorState = manifest.EpochStartGenerator.ToState(manifestPath);
        var tensorsPath = Path.Combine(checkpoint.Directory, manifest.Tensors);
        if (!File.Exists(tensorsPath))
        {
            throw Damaged(manifestPath, $"it names '{manifest.Tensors}', which is not in the folder");
        }
        var bytes = File.ReadAllBytes(tensorsPath);
        var actualHash = Sha256.Hex(bytes);
        if (!string.Equals(actualHash, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Damaged(manifestPath, $"'{manifest.Tensors}' has SHA-256 {actualHash}, but the manifest recorded {manifest.Sha256}");
        }
        var file = Safetensors.Parse(bytes, tensorsPath);

        var problems = new List<string>();
        if (manifest.Parameters != optimizer.Parameters.Count)
        {
            problems.Add($"it holds {manifest.Parameters} parameters, but the optimiser has {optimizer.Parameters.Count}");
        }
        var parameters = new List<(Tensor Target, float[] Data)>();
        for (var i = 0; i < optimizer.Parameters.Count; i++)
        {
            var target = optimizer.Parameters[i];
            if (FitTensor(file, ParameterKey(i), target.Shape, problems) is { } data) parameters.Add((target, data));
        }
        var moduleBuffers = checkpoint.Module?.NamedBuffers().ToDictionary(pair => pair.Name, pair => pair.Buffer, StringComparer.Ordinal) ?? [];
        var buffers = new List<(Tensor Target, float[] Data)>();
        foreach (var name in manifest.Buffers)
        {
            if (!moduleBuffers.TryGetValue(name, out var target))
            {
                problems.Add($"it holds buffer '{name}', which the module ({checkpoint.Module?.GetType().Name ?? "none given"}) does not have");
            }
            else if (FitTensor(file, BufferKey(name), target.Shape, problems) is { } data)
            {
                buffers.Add((target, data));
            }
        }
        problems.AddRange(moduleBuffers.Keys.Except(manifest.Buffers).Select(name => $"it lacks the module's buffer '{name}'"));
        var optimizerBuffers = file.Tensors.Where(pair => pair.Key.StartsWith("optimizer.", StringComparison.Ordinal))
            .ToDictionary(pair => pair.Key["optimizer.".Length..], pair => pair.Value.Data, StringComparer.Ordinal);
        var optimizerState = new OptimizerState(manifest.Optimizer.Type, manifest.Optimizer.LearningRate, optimizerBuffers, manifest.Optimizer.Counters.AsReadOnly());
        if (!file.Tensors.TryGetValue(StepLossesKey, out var stepLosses) || stepLosses.Data.Length != (long)(manifest.Epoch - 1) * manifest.StepsPerEpoch + manifest.Step)
        {
            problems.Add($"its step losses do not number (epoch - 1) x steps per epoch + step = {(long)(manifest.Epoch - 1) * manifest.StepsPerEpoch + manifest.Step}");
        }
        if (problems.Count > 0)
        {
            throw Damaged(manifestPath, string.Join("; ", problems));
        }
        try
        {
            optimizer.SetState(optimizerState); // checks everything before it changes anything
        }
        catch (ArgumentException error)
        {
            throw Damaged(manifestPath, error.Message);
        }
        using (Tensor.NoGrad())
        {
            foreach (var (target, data) in parameters.Concat(buffers))
            {
                target.CopyFrom(Tensor.FromArray(data, target.Shape));
            }
        }
        RemoveDebris(checkpoint.Directory, keep: manifest.Tensors);
        return new TrainingSnapshot(manifest.Epoch, manifest.Step, manifest.Epochs, manifest.StepsPerEpoch, manifest.BatchSize, manifest.Examples,
            generatorState, epochStartGeneratorState, stepLosses.Data, manifest.EpochLosses, manifest.TestLosses);
    }

    private static Manifest ReadManifest(string path)
    {
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException error)
        {
            throw Damaged(path, $"it is not a checkpoint manifest ({error.Message})");
        }
        if (manifest is null || manifest.Format != Format)
        {
            throw Damaged(path, $"its format is '{manifest?.Format}', not '{Format}'");
        }
        var problems = new List<string>();
        if (manifest.Tensors is null || Path.GetFileName(manifest.Tensors) != manifest.Tensors || !manifest.Tensors.StartsWith(TensorsPrefix, StringComparison.Ordinal))
            problems.Add($"its tensors file '{manifest.Tensors}' is not a '{TensorsPrefix}*' name in the same folder");
        if (manifest.Sha256 is not { Length: 64 } || !manifest.Sha256.All(Uri.IsHexDigit)) problems.Add("its sha256 is not 64 hex digits");
        if (manifest.StepsPerEpoch < 1 || manifest.Epoch < 1 || manifest.Step < 1 || manifest.Step > manifest.StepsPerEpoch)
            problems.Add($"epoch {manifest.Epoch}, step {manifest.Step} of {manifest.StepsPerEpoch} per epoch is not a position a run can be at");
        if (manifest.BatchSize < 1 || manifest.Examples < 1 || manifest.Parameters < 0) problems.Add("its batch size, example or parameter count is out of range");
        if (manifest.Buffers is null || manifest.Optimizer?.Type is null || manifest.Optimizer.Counters is null || manifest.Generator is null
            || manifest.EpochStartGenerator is null || manifest.EpochLosses is null || manifest.TestLosses is null)
            problems.Add("a field is missing");
        else if (manifest.EpochLosses.Length != manifest.Epoch - (manifest.Step == manifest.StepsPerEpoch ? 0 : 1))
            problems.Add($"it has {manifest.EpochLosses.Length} epoch losses at epoch {manifest.Epoch}, step {manifest.Step} of {manifest.StepsPerEpoch}");
        if (problems.Count > 0)
        {
            throw Damaged(path, string.Join("; ", problems));
        }
        return manifest;
    }

    private static float[]? FitTensor(SafetensorsFile file, string key, int[] shape, List<string> problems)
    {
        if (!file.Tensors.TryGetValue(key, out var tensor))
        {
            problems.Add($"tensor '{key}' is missing");
            return null;
        }
        if (!tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            problems.Add($"tensor '{key}' has shape {Tensor.FormatShape(tensor.Shape)} in the checkpoint but {Tensor.FormatShape(shape)} in the run");
            return null;
        }
        return tensor.Data;
    }

    /// <summary>Removes the tensors files no manifest names and the temporary files of interrupted writes (both
    /// written by this class alone, by name), keeping <paramref name="keep"/>.</summary>
    private static void RemoveDebris(string directory, string keep)
    {
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            var stale = (name.StartsWith(TensorsPrefix, StringComparison.Ordinal) && name.EndsWith(".safetensors", StringComparison.Ordinal) && name != keep)
                || (name.StartsWith("." + TensorsPrefix, StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal))
                || (name.StartsWith("." + ManifestName + ".", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal));
            if (stale)
            {
                File.Delete(path);
            }
        }
    }

    private static InvalidDataException Damaged(string manifestPath, string problem) =>
        new($"Checkpoint '{manifestPath}': {problem}. Nothing was loaded; delete the folder (or pass Resume = false) to start the run over.");

    private static string ParameterKey(int index) => $"parameter.{index}";
    private static string BufferKey(string name) => $"buffer.{name}";
    private static string OptimizerKey(string key) => $"optimizer.{key}";

    private sealed record Manifest(string Format, string Tensors, string Sha256, int Epoch, int Step, int Epochs, int StepsPerEpoch,
        int BatchSize, int Examples, int Parameters, List<string> Buffers, OptimizerEntry Optimizer, GeneratorEntry Generator,
        GeneratorEntry EpochStartGenerator, double[] EpochLosses, double[] TestLosses);

    private sealed record OptimizerEntry(string Type, double LearningRate, SortedDictionary<string, long> Counters);

    /// <summary>A generator state in JSON: the four words as 16 hex digits each (JSON numbers are doubles, which
    /// cannot hold 64 bits), the spare normal as a number (written to round-trip exactly).</summary>
    private sealed record GeneratorEntry(string[] Words, double? SpareNormal)
    {
        public static GeneratorEntry From(GeneratorState state) =>
            new([.. new[] { state.S0, state.S1, state.S2, state.S3 }.Select(word => word.ToString("x16", CultureInfo.InvariantCulture))], state.SpareNormal);

        public GeneratorState ToState(string manifestPath)
        {
            var words = new ulong[4];
            if (Words is not { Length: 4 } || !Words.Select((text, i) => ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out words[i])).All(ok => ok)
                || words.All(word => word == 0) || SpareNormal is double spare && !double.IsFinite(spare))
            {
                throw Damaged(manifestPath, "a generator state is not four non-zero-in-total hex words with a finite spare normal");
            }
            return new GeneratorState(words[0], words[1], words[2], words[3], SpareNormal);
        }
    }
}
