using Generative.NN;

namespace Generative.Training;

/// <summary>
/// Where and how often <see cref="Trainer"/>.Fit saves a checkpoint of the run, and whether it resumes from one.
/// </summary>
/// <remarks>
/// <para>A checkpoint holds everything the rest of the run depends on: the optimiser's parameters, the module's
/// buffers (BatchNorm's running statistics), the optimiser's moments and step counts, the generator's state (and
/// its state at the start of the epoch, which redraws the epoch's shuffle), the epoch and step, and the losses so
/// far. A run resumed from it continues bit for bit as if it had never stopped: the same loss curve and the same
/// final weights.</para>
/// <para>In <see cref="Directory"/>, <c>checkpoint-&lt;step&gt;.safetensors</c> holds the tensors and
/// <c>checkpoint.json</c>, the manifest, names that file with its SHA-256 and holds the rest. The tensors are written
/// and renamed into place first, the manifest second: replacing the manifest (a rename, atomic on one file system)
/// is the moment a checkpoint counts. A process killed at any instant therefore leaves the previous checkpoint
/// intact; the debris of an interrupted write (temporary files, a tensors file no manifest names) is removed by the
/// next run.</para>
/// <para>Not saved: randomness a module draws from a generator of its own (give <see cref="Dropout"/> the training
/// generator, or none), and anything the loss function keeps between calls.</para>
/// </remarks>
/// <param name="Directory">The folder of the checkpoint; created when missing.</param>
public sealed record Checkpointing(string Directory)
{
    /// <summary>Global steps between checkpoints; null (the default) for one at the end of every epoch. Either way
    /// the run's last step is followed by a checkpoint.</summary>
    public int? EverySteps { get; init; }

    /// <summary>The module whose buffers are saved with the optimiser's parameters; the model overloads of
    /// <see cref="Trainer"/>.Fit fill in their model. Null: only the optimiser's parameters.</summary>
    public Module? Module { get; init; }

    /// <summary>Continue from the checkpoint in <see cref="Directory"/> when there is one (the default); false starts
    /// over and replaces it.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>The manifest's path: the file whose replacement commits a checkpoint.</summary>
    public string ManifestPath => Path.Combine(Directory, TrainingCheckpoint.ManifestName);

    /// <summary>Whether <see cref="Directory"/> holds a checkpoint (a manifest).</summary>
    public bool Exists => File.Exists(ManifestPath);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Checkpointing: the directory is empty; name a folder for the checkpoint.", nameof(Directory));
        }
        if (File.Exists(Directory))
        {
            throw new ArgumentException($"Checkpointing: '{Directory}' is a file, not a folder; name a folder for the checkpoint.", nameof(Directory));
        }
        if (EverySteps is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EverySteps), EverySteps, "Checkpointing: EverySteps must be at least 1 (or null for every epoch).");
        }
    }
}
