using System.IO.Compression;
using Generative.Data;

using Generative.IO;

namespace Generative.Tests.Data;

public class IdxTests
{
    private static IdxArray SampleImages(int count = 3, int height = 4, int width = 5)
    {
        var generator = new Generator(1);
        var data = Enumerable.Range(0, count * height * width).Select(_ => (byte)generator.NextInt(256)).ToArray();
        return new IdxArray([count, height, width], data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_FileWrittenByWrite_RoundTrips(bool gzip)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("images.idx");
        var original = SampleImages();

        Idx.Write(path, original, gzip);
        var read = Idx.Read(path);

        Assert.Equal(original.Dimensions, read.Dimensions);
        Assert.Equal(original.Data, read.Data);
        Assert.Equal(gzip, File.ReadAllBytes(path)[0] == 0x1F);
    }

    [Fact]
    public void Encode_SameArrayTwice_GivesIdenticalGzipBytesWithZeroMtime()
    {
        var first = Idx.Encode(SampleImages(), gzip: true);
        var second = Idx.Encode(SampleImages(), gzip: true);

        Assert.Equal(first, second);
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, first[4..8]);
    }

    [Fact]
    public void Encode_Gzip_IsReadableByGZipStream()
    {
        var original = SampleImages();
        using var input = new MemoryStream(Idx.Encode(original, gzip: true));
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();

        gzip.CopyTo(output);

        Assert.Equal(Idx.Encode(original, gzip: false), output.ToArray());
    }

    [Fact]
    public void Encode_Raw_HasBigEndianHeader()
    {
        var raw = Idx.Encode(new IdxArray([2, 1], [7, 9]), gzip: false);

        Assert.Equal(new byte[] { 0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 7, 9 }, raw);
    }

    [Fact]
    public void Read_TruncatedGzip_ThrowsNamingFile()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("truncated.gz");
        var bytes = Idx.Encode(SampleImages(20, 28, 28), gzip: true);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Read_GzipWithFlippedByte_ThrowsNamingFile()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("corrupt.gz");
        var bytes = Idx.Encode(SampleImages(20, 28, 28), gzip: true);
        bytes[bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Read_WrongMagic_ThrowsNamingFileAndMagic()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("magic.idx");
        var bytes = Idx.Encode(SampleImages(), gzip: false);
        bytes[0] = 0x12;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void Read_UnsupportedType_ThrowsNamingFile()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("float.idx");
        var bytes = Idx.Encode(SampleImages(), gzip: false);
        bytes[2] = 0x0D; // float
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("0x0D", error.Message);
    }

    [Theory]
    [InlineData(-1, "truncated")]
    [InlineData(+1, "trailing")]
    public void Read_DataSizeDisagreesWithHeader_ThrowsNamingFile(int extraBytes, string problem)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("size.idx.gz");
        var raw = Idx.Encode(SampleImages(), gzip: false);
        byte[] resized = extraBytes < 0 ? raw[..^1] : [.. raw, 0];
        // Compress the wrong-sized content correctly, so only the IDX size check can catch it.
        File.WriteAllBytes(path, Gzip.Compress(resized));

        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Idx.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".idx")));
    }

    [Fact]
    public void IdxArray_DataLengthNotProductOfDimensions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new IdxArray([2, 3], new byte[5]));
    }

    [Fact]
    public void Write_Always_LeavesNoTemporaryFiles()
    {
        using var directory = new TemporaryDirectory();

        Idx.Write(directory.File("a.gz"), SampleImages(), gzip: true);

        Assert.Equal(["a.gz"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }
}
