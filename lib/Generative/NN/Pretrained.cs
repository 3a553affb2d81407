using System.Text.Json;
using Generative.Data;
using Generative.IO;

namespace Generative.NN;

/// <summary>One set of pretrained weights in the repository's <c>weights/</c> folder, as <c>weights/weights.json</c>
/// describes it: what was trained, how, the SHA-256 of the file and the test NLL it reaches.</summary>
/// <param name="Name">The key a lesson loads it by, e.g. "pixelcnn".</param>
/// <param name="File">The safetensors file inside <c>weights/</c>.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of <paramref name="File"/>.</param>
/// <param name="Model">The architecture in words, as the results table (docs/results.md) names it (e.g. "Row LSTM, 16 units").</param>
/// <param name="Epochs">Training epochs over the 60,000 binarized Fashion-MNIST training images.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="LearningRate">Adam's learning rate for the first <paramref name="Epochs"/> − <paramref name="DecayEpochs"/>
/// epochs; the last <paramref name="DecayEpochs"/> run at a tenth of it.</param>
/// <param name="TestNll">Mean test NLL in nats over the full 10,000 test images; null for a GAN, which has no likelihood.</param>
/// <param name="EmbeddedTestNll">Mean test NLL in nats over the 2,000 embedded test images (what a lesson can check);
/// null for a GAN.</param>
/// <param name="Command">The command that re-creates the file, run from the repository root.</param>
/// <param name="DecayEpochs">How many of the last <paramref name="Epochs"/> ran at a tenth of
/// <paramref name="LearningRate"/> (same optimiser and moments). Optional, with a default of 0, because catalogues
/// written before it existed have no such field and trained at one rate throughout.</param>
/// <param name="TestAccuracy">For a classifier, the share of the 10,000 test images it classifies correctly (its
/// <paramref name="TestNll"/> is then the mean cross-entropy of the labels); null for generative models.</param>
/// <param name="EmbeddedTestAccuracy">The same on the 2,000 embedded test images; null for generative models.</param>
/// <param name="SampleFid">For a GAN, the FID on the shipped classifier's features of 10,000 samples against the 10,000
/// test images (lesson 11 says which samples); null otherwise.</param>
/// <param name="EmbeddedSampleFid">For a GAN, the same for 2,000 samples against the 2,000 embedded test images (what a
/// lesson can check).</param>
/// <param name="RequestedClassAccuracy">For a class-conditional GAN, the share of those 10,000 samples that the
/// classifier puts in the class they were generated for.</param>
/// <param name="CodeClassAgreement">For InfoGAN, the share of those 10,000 samples whose categorical code maps to the
/// classifier's class under the best one-to-one map from codes to classes.</param>
public sealed record PretrainedWeights(string Name, string File, string Sha256, string Model, int Epochs, int BatchSize,
    double LearningRate, double? TestNll, double? EmbeddedTestNll, string Command, int DecayEpochs = 0,
    double? TestAccuracy = null, double? EmbeddedTestAccuracy = null, double? SampleFid = null, double? EmbeddedSampleFid = null,
    double? RequestedClassAccuracy = null, double? CodeClassAgreement = null);

/// <summary>
/// Pretrained weights for models that need longer than a lesson may take to train: listed in
/// <c>weights/weights.json</c> beside <c>datasets/</c>, checked by SHA-256 before they are loaded.
/// </summary>
/// <remarks>The files are written by the weights tool (<c>dotnet run -c Release --project tools/Weights -- pixelcnn
/// rowlstm</c>, which calls <see cref="Save"/>); training is seeded, so the same command on the same instruction set
/// re-creates them bit for bit. Each entry's <see cref="PretrainedWeights.Command"/> is the command for its file.</remarks>
public static class Pretrained
{
    /// <summary>The catalogue's file name inside the weights folder.</summary>
    public const string CatalogFileName = "weights.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A field a kind of model does not have (a GAN's NLL, a density model's accuracy) is left out, so entries written
        // before a field existed stay as they were.
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The repository's <c>weights/</c> folder: beside the <c>datasets/</c> folder the data loaders find.</summary>
    /// <exception cref="DirectoryNotFoundException">The datasets folder cannot be found (see <c>FashionMnist.LoadEmbedded</c>).</exception>
    public static string DefaultDirectory => Path.GetFullPath(Path.Combine(DatasetDirectory.Find(), "..", "weights"));

    /// <summary>Every entry of <c>weights.json</c> in <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>).</summary>
    /// <exception cref="FileNotFoundException">There is no catalogue.</exception>
    /// <exception cref="InvalidDataException">The catalogue is not a JSON list of entries.</exception>
    public static IReadOnlyList<PretrainedWeights> Catalog(string? directory = null)
    {
        var path = Path.Combine(directory ?? DefaultDirectory, CatalogFileName);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"Pretrained: no catalogue at '{path}'.", path);
        }
        try
        {
            return JsonSerializer.Deserialize<List<PretrainedWeights>>(System.IO.File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"Pretrained: '{path}' holds null, not a list of weights.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Pretrained: '{path}' is not a list of weights: {e.Message}", e);
        }
    }

    /// <summary>Loads the weights called <paramref name="name"/> into <paramref name="model"/> in place, after checking
    /// the file's SHA-256; every tensor must fit (a strict load), so a model built with other sizes is refused.</summary>
    /// <returns>The catalogue entry: how the weights were trained and the test NLL they reach.</returns>
    /// <exception cref="ArgumentException">No entry has that name; the message lists the names there are.</exception>
    /// <exception cref="InvalidDataException">The file's checksum does not match, or its tensors do not fit the model.</exception>
    public static PretrainedWeights Load(Module model, string name, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(name);
        directory ??= DefaultDirectory;
        var catalog = Catalog(directory);
        var entry = catalog.FirstOrDefault(e => e.Name == name)
            ?? throw new ArgumentException($"Pretrained: no weights named '{name}' in {Path.Combine(directory, CatalogFileName)}; there are: {string.Join(", ", catalog.Select(e => e.Name))}.", nameof(name));
        var path = Path.Combine(directory, entry.File);
        // One read serves the checksum and the load, so the bytes checked are the bytes loaded.
        var bytes = System.IO.File.ReadAllBytes(path);
        Sha256.Verify(bytes, entry.Sha256, path, $"The file is not the one the catalogue describes; re-create it with: {entry.Command}");
        model.Load(bytes, path);
        return entry;
    }

    /// <summary>The lock file beside the catalogue that <see cref="Save"/> holds while it reads and rewrites it.</summary>
    public const string CatalogLockFileName = "weights.json.lock";

    /// <summary>Saves <paramref name="model"/> as <c>&lt;name&gt;.safetensors</c> in <paramref name="directory"/> and adds
    /// (or replaces) its entry in the catalogue there; both writes are atomic, and the catalogue's read and rewrite hold
    /// an exclusive lock (<see cref="CatalogLockFileName"/>), so trainings that finish at the same time in several
    /// processes all keep their entries.</summary>
    /// <returns>The entry written, with the file's SHA-256 filled in.</returns>
    /// <exception cref="IOException">Another process held the catalogue's lock for a minute.</exception>
    public static PretrainedWeights Save(Module model, string directory, PretrainedWeights entry)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(entry);
        var path = Path.Combine(directory, entry.File);
        model.Save(path);
        var written = entry with { Sha256 = Sha256.Hex(System.IO.File.ReadAllBytes(path)) };
        var catalogPath = Path.Combine(directory, CatalogFileName);
        using (LockCatalog(directory))
        {
            var entries = System.IO.File.Exists(catalogPath) ? Catalog(directory).Where(e => e.Name != entry.Name).ToList() : [];
            entries.Add(written);
            AtomicFile.WriteAllBytes(catalogPath, JsonSerializer.SerializeToUtf8Bytes(entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList(), JsonOptions));
        }
        return written;
    }

    /// <summary>Opens the lock file exclusively (FileShare.None, which .NET enforces between processes and between
    /// handles of one process), waiting up to a minute for another writer; the file itself stays, empty.</summary>
    private static FileStream LockCatalog(string directory)
    {
        var lockPath = Path.Combine(directory, CatalogLockFileName);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(1))
            {
                Thread.Sleep(10);
            }
            catch (IOException e)
            {
                throw new IOException($"Pretrained: the catalogue in {directory} has been locked by another writer for a minute ({lockPath}); " +
                    "if no training is saving there, delete the lock file and save again.", e);
            }
        }
    }
}
