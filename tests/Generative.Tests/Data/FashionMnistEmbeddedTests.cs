using Generative.Data;

using Generative.IO;

namespace Generative.Tests.Data;

public class FashionMnistEmbeddedTests
{
    [Theory]
    [InlineData(DatasetSplit.Train, 10_000)]
    [InlineData(DatasetSplit.Test, 2_000)]
    public void LoadEmbedded_Split_HasExpectedCountAndShape(DatasetSplit split, int count)
    {
        var dataset = FashionMnist.LoadEmbedded(split);

        Assert.Equal(count, dataset.Count);
        Assert.Equal((28, 28), (dataset.Height, dataset.Width));
        Assert.Equal(count * 28 * 28, dataset.Pixels.Length);
        Assert.All(dataset.Labels, label => Assert.InRange(label, 0, 9));
        Assert.Equal("Ankle boot", dataset.ClassNames[9]);
    }

    [Fact]
    public void LoadEmbedded_Train_EveryClassPresentAndRoughlyBalanced()
    {
        // Fashion-MNIST's classes are balanced (6,000 each of 60,000); any 10,000-image prefix should be near 1,000 each.
        var labels = FashionMnist.LoadEmbedded(DatasetSplit.Train).Labels;

        for (var c = 0; c < 10; c++)
        {
            Assert.InRange(labels.Count(l => l == c), 800, 1200);
        }
    }

    [Fact]
    public void LoadEmbeddedFrom_FileWithFlippedByte_ThrowsChecksumMismatchNamingFile()
    {
        using var copy = CopyOfEmbedded();
        var (imagesName, _) = FashionMnist.EmbeddedFileNames(DatasetSplit.Test);
        var path = copy.File(imagesName);
        var bytes = File.ReadAllBytes(path);
        bytes[^20] ^= 1;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadEmbeddedFrom(copy.Path, DatasetSplit.Test));

        Assert.Contains(path, error.Message);
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void LoadEmbeddedFrom_FileMissingFromSums_ThrowsNamingSumsFile()
    {
        using var copy = CopyOfEmbedded();
        var (_, labelsName) = FashionMnist.EmbeddedFileNames(DatasetSplit.Test);
        var sumsPath = copy.File("SHA256SUMS");
        File.WriteAllLines(sumsPath, File.ReadAllLines(sumsPath).Where(l => !l.EndsWith(labelsName)));

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadEmbeddedFrom(copy.Path, DatasetSplit.Test));

        Assert.Contains(sumsPath, error.Message);
        Assert.Contains(labelsName, error.Message);
    }

    [Fact]
    public void LoadEmbeddedFrom_ImageAndLabelCountsDisagree_ThrowsNamingFile()
    {
        using var directory = new TemporaryDirectory();
        var (imagesName, labelsName) = FashionMnist.EmbeddedFileNames(DatasetSplit.Test);
        Idx.Write(directory.File(imagesName), new IdxArray([3, 28, 28], new byte[3 * 28 * 28]), gzip: true);
        Idx.Write(directory.File(labelsName), new IdxArray([2], [0, 1]), gzip: true);
        WriteSums(directory, imagesName, labelsName);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadEmbeddedFrom(directory.Path, DatasetSplit.Test));

        Assert.Contains(directory.File(imagesName), error.Message);
        Assert.Contains("3 images but 2 labels", error.Message);
    }

    [Fact]
    public void LoadEmbeddedFrom_LabelOutOfRange_Throws()
    {
        using var directory = new TemporaryDirectory();
        var (imagesName, labelsName) = FashionMnist.EmbeddedFileNames(DatasetSplit.Test);
        Idx.Write(directory.File(imagesName), new IdxArray([1, 2, 2], new byte[4]), gzip: true);
        Idx.Write(directory.File(labelsName), new IdxArray([1], [10]), gzip: true);
        WriteSums(directory, imagesName, labelsName);

        Assert.Throws<InvalidDataException>(() => FashionMnist.LoadEmbeddedFrom(directory.Path, DatasetSplit.Test));
    }

    [Fact]
    public void LoadEmbeddedFrom_ValidSmallFiles_LoadsThem()
    {
        using var directory = new TemporaryDirectory();
        var (imagesName, labelsName) = FashionMnist.EmbeddedFileNames(DatasetSplit.Train);
        Idx.Write(directory.File(imagesName), new IdxArray([2, 1, 2], [1, 2, 3, 4]), gzip: true);
        Idx.Write(directory.File(labelsName), new IdxArray([2], [5, 9]), gzip: true);
        WriteSums(directory, imagesName, labelsName);

        var dataset = FashionMnist.LoadEmbeddedFrom(directory.Path, DatasetSplit.Train);

        Assert.Equal([3, 4], dataset.Image(1));
        Assert.Equal([5, 9], dataset.Labels);
    }

    [Fact]
    public void LoadFromDirectory_ContentNotOfficial_ThrowsNamingFile()
    {
        using var directory = new TemporaryDirectory();
        Idx.Write(directory.File("t10k-images-idx3-ubyte.gz"), new IdxArray([1, 28, 28], new byte[784]), gzip: true);
        Idx.Write(directory.File("t10k-labels-idx1-ubyte.gz"), new IdxArray([1], [0]), gzip: true);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadFromDirectory(directory.Path, DatasetSplit.Test));

        Assert.Contains(directory.File("t10k-images-idx3-ubyte.gz"), error.Message);
        Assert.Contains("official", error.Message);
    }

    [Fact]
    public void LoadFromDirectory_MissingFiles_ThrowsFileNotFound()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadFromDirectory(directory.Path, DatasetSplit.Train));
    }

    private static TemporaryDirectory CopyOfEmbedded()
    {
        var source = Path.Combine(DatasetDirectory.Find(), "fashion-mnist");
        var copy = new TemporaryDirectory();
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, copy.File(Path.GetFileName(file)));
        }
        return copy;
    }

    private static void WriteSums(TemporaryDirectory directory, params string[] names) =>
        File.WriteAllText(directory.File("SHA256SUMS"),
            string.Concat(names.Select(n => $"{Sha256.Hex(File.ReadAllBytes(directory.File(n)))}  {n}\n")));
}
