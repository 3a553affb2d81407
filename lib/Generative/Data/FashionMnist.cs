using Generative.IO;

namespace Generative.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv:1708.07747; MIT licence): 28 x 28 grayscale images of
/// Zalando articles in 10 classes, 60,000 for training and 10,000 for testing.
/// </summary>
/// <remarks>
/// <see cref="LoadEmbedded"/> reads the subset shipped in datasets/fashion-mnist (the first 10,000 training and
/// first 2,000 test images), which is what the lessons use so they run offline and identically everywhere.
/// <see cref="Load"/> reads the full dataset. Every file is checked by SHA-256 before it is parsed, and a file
/// that fails any check raises an exception naming it; nothing partial is returned.
/// </remarks>
public static class FashionMnist
{
    /// <summary>Where the Debian/Ubuntu package <c>dataset-fashion-mnist</c> installs the four .gz files.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The embedded subset's sizes.</summary>
    public const int EmbeddedTrainCount = 10_000, EmbeddedTestCount = 2_000;

    /// <summary>The class names by label 0..9, as in the dataset's documentation.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>The folder that <see cref="DatasetSource.Download"/> caches files in.</summary>
    public static string CacheDirectory => FashionMnistDownloader.DefaultCacheDirectory();

    /// <summary>
    /// Loads a split of the embedded subset after verifying both files against datasets/fashion-mnist/SHA256SUMS.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The datasets folder was not found (see GENERATIVE_DATASETS).</exception>
    /// <exception cref="InvalidDataException">A file is missing from SHA256SUMS, fails its checksum, or is malformed.</exception>
    public static ImageDataset LoadEmbedded(DatasetSplit split = DatasetSplit.Train) =>
        LoadEmbeddedFrom(Path.Combine(DatasetDirectory.Find(), "fashion-mnist"), split);

    /// <summary>
    /// Loads a split of the full dataset (60,000 training or 10,000 test images).
    /// </summary>
    /// <param name="split">Training or test images.</param>
    /// <param name="source">Where from; <see cref="DatasetSource.Auto"/> prefers the installed Debian package and
    /// otherwise downloads (once: later calls use the verified cache).</param>
    /// <exception cref="InvalidDataException">A file fails its checksum or is malformed.</exception>
    /// <exception cref="HttpRequestException">A needed download failed.</exception>
    public static ImageDataset Load(DatasetSplit split = DatasetSplit.Train, DatasetSource source = DatasetSource.Auto) =>
        LoadFrom(split, source, SystemDirectory, new FashionMnistDownloader(null, CacheDirectory, FashionMnistDownloader.OfficialBaseUri));

    /// <summary>
    /// Loads a split of the full dataset from a folder holding the official files (<c>train-images-idx3-ubyte.gz</c>
    /// and so on), e.g. a manual download. The decompressed content is checked against the official SHA-256, so
    /// repackaged copies with rewritten gzip headers are accepted and anything else is rejected.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or its content is not the official one.</exception>
    public static ImageDataset LoadFromDirectory(string directory, DatasetSplit split = DatasetSplit.Train)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var (imagesFile, labelsFile) = FashionMnistFile.For(split);
        return FromIdx(
            ReadOfficialContent(directory, imagesFile),
            ReadOfficialContent(directory, labelsFile),
            Path.Combine(directory, imagesFile.Name));
    }

    /// <summary>SHA-256 of the four official .gz files, by file name, as served by the official site.</summary>
    public static IReadOnlyDictionary<string, string> OfficialGzipSha256 { get; } =
        FashionMnistFile.All.ToDictionary(f => f.Name, f => f.GzipSha256);

    /// <summary>The file names of the embedded subset of <paramref name="split"/> (images, labels).</summary>
    public static (string Images, string Labels) EmbeddedFileNames(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => ("train-images-first10000-idx3-ubyte.gz", "train-labels-first10000-idx1-ubyte.gz"),
        DatasetSplit.Test => ("t10k-images-first2000-idx3-ubyte.gz", "t10k-labels-first2000-idx1-ubyte.gz"),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };

    /// <summary>The testable core of <see cref="Load(DatasetSplit, DatasetSource)"/>.</summary>
    internal static ImageDataset LoadFrom(DatasetSplit split, DatasetSource source, string systemDirectory, FashionMnistDownloader downloader)
    {
        var (imagesFile, labelsFile) = FashionMnistFile.For(split);
        if (source == DatasetSource.Auto)
        {
            source = File.Exists(Path.Combine(systemDirectory, imagesFile.Name)) && File.Exists(Path.Combine(systemDirectory, labelsFile.Name))
                ? DatasetSource.System
                : DatasetSource.Download;
        }
        switch (source)
        {
            case DatasetSource.Embedded:
                return LoadEmbedded(split);
            case DatasetSource.System:
                return LoadFromDirectory(systemDirectory, split);
            case DatasetSource.Download:
                var imagesBytes = downloader.GetVerified(imagesFile);
                var labelsBytes = downloader.GetVerified(labelsFile);
                var imagesPath = Path.Combine(downloader.CacheDirectory, imagesFile.Name);
                return FromIdx(
                    Idx.Parse(imagesBytes, imagesPath),
                    Idx.Parse(labelsBytes, Path.Combine(downloader.CacheDirectory, labelsFile.Name)),
                    imagesPath);
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown dataset source.");
        }
    }

    /// <summary>Loads the embedded subset from <paramref name="directory"/> (the fashion-mnist folder).</summary>
    internal static ImageDataset LoadEmbeddedFrom(string directory, DatasetSplit split)
    {
        var sumsPath = Path.Combine(directory, "SHA256SUMS");
        if (!File.Exists(sumsPath))
        {
            throw new FileNotFoundException($"Checksum file not found: {sumsPath}", sumsPath);
        }
        var sums = Sha256.ReadSums(sumsPath);
        var (imagesName, labelsName) = EmbeddedFileNames(split);
        var images = ReadVerified(directory, imagesName, sums, sumsPath);
        var labels = ReadVerified(directory, labelsName, sums, sumsPath);
        return FromIdx(images, labels, Path.Combine(directory, imagesName));
    }

    /// <summary>Builds the dataset from an images array [N, H, W] and a labels array [N], checking that they agree.</summary>
    /// <exception cref="InvalidDataException">Ranks or counts disagree, or a label is not 0..9.</exception>
    internal static ImageDataset FromIdx(IdxArray images, IdxArray labels, string imagesName)
    {
        if (images.Dimensions.Length != 3)
        {
            throw new InvalidDataException($"{imagesName}: expected images of shape [N, height, width], got [{string.Join(", ", images.Dimensions)}].");
        }
        if (labels.Dimensions.Length != 1)
        {
            throw new InvalidDataException($"{imagesName}: the labels file has shape [{string.Join(", ", labels.Dimensions)}], expected [N].");
        }
        if (images.Dimensions[0] != labels.Dimensions[0])
        {
            throw new InvalidDataException($"{imagesName}: {images.Dimensions[0]} images but {labels.Dimensions[0]} labels; the files must describe the same examples.");
        }
        var badLabel = Array.FindIndex(labels.Data, l => l >= ClassNames.Count);
        if (badLabel >= 0)
        {
            throw new InvalidDataException($"{imagesName}: label [{badLabel}] is {labels.Data[badLabel]}; Fashion-MNIST labels are 0..9.");
        }
        return new ImageDataset(images.Data, labels.Data, images.Dimensions[1], images.Dimensions[2], ClassNames);
    }

    private static IdxArray ReadVerified(string directory, string name, IReadOnlyDictionary<string, string> sums, string sumsPath)
    {
        var path = Path.Combine(directory, name);
        if (!sums.TryGetValue(name, out var expected))
        {
            throw new InvalidDataException($"{sumsPath}: no checksum listed for {name}.");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Embedded dataset file not found: {path}", path);
        }
        var bytes = File.ReadAllBytes(path);
        Sha256.Verify(bytes, expected, path, "Restore it with 'git checkout -- datasets' or rebuild it with datasets/rebuild.sh.");
        return Idx.Parse(bytes, path);
    }

    private static IdxArray ReadOfficialContent(string directory, FashionMnistFile file)
    {
        var path = Path.Combine(directory, file.Name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} not found (for the system copy, install the package dataset-fashion-mnist; or use DatasetSource.Download).", path);
        }
        var array = Idx.Parse(File.ReadAllBytes(path), path);
        // Distributions may rewrite the gzip header, so check the decompressed content instead of the .gz bytes.
        Sha256.Verify(Idx.Encode(array, gzip: false), file.ContentSha256, path,
            "This is not the official Fashion-MNIST content; replace the file with an official copy or use DatasetSource.Download.");
        return array;
    }
}
