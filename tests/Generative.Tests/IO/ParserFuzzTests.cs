using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Generative.Data;
using Generative.NN;
using Generative.Tests.Data;

namespace Generative.Tests.IO;

/// <summary>
/// Property-based fuzzing (FsCheck) of the readers that take files from outside: safetensors and IDX (raw and gzip).
/// Thousands of truncated, bit-flipped and adversarial variants of valid files each: every one either parses or throws
/// the documented <see cref="InvalidDataException"/> naming the file, never another exception, and no parse allocates
/// much more than the file's own size (a header claiming 2^40 elements must not be believed before it is checked).
/// </summary>
public class ParserFuzzTests
{
    private const int Runs = 3000;

    /// <summary>A fixed seed per property, so a run is reproducible and a failure can be replayed; quiet on success, since
    /// a line printed to Console while another test's notebook cell runs would land in that cell's output.</summary>
    private static Config Settings(ulong seed) =>
        Config.QuickThrowOnFailure.WithQuietOnSuccess(true).WithMaxTest(Runs).WithReplay(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), null));

    /// <summary>Runs <paramref name="parse"/> and reports whether it kept the contract; allocation is measured on this thread.</summary>
    private static bool KeepsContract(Action parse, string name, long fileBytes, long allowedFactor = 8)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            parse();
        }
        catch (InvalidDataException exception) when (exception.Message.Contains(name))
        {
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated <= allowedFactor * fileBytes + (1 << 20);
    }

    private static byte[] ValidSafetensors()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("valid.safetensors");
        Safetensors.Save(path, new Dictionary<string, (int[] Shape, float[] Data)>
        {
            ["weight"] = ([3, 4], Enumerable.Range(0, 12).Select(i => i * 0.5f).ToArray()),
            ["bias"] = ([4], [1f, 2f, 3f, 4f]),
            ["scalar"] = ([], [7f]),
        }, new Dictionary<string, string> { ["epoch"] = "3" });
        return File.ReadAllBytes(path);
    }

    private static Gen<byte[]> Mutations(byte[] valid) => Gen.OneOf(
        // truncated anywhere
        Gen.Choose(0, valid.Length - 1).Select(length => valid[..length]),
        // one to eight bits flipped anywhere
        Gen.ListOf(Gen.Choose(0, valid.Length * 8 - 1)).Select(bits =>
        {
            var copy = (byte[])valid.Clone();
            foreach (var bit in bits.Take(8)) copy[bit / 8] ^= (byte)(1 << (bit % 8));
            return copy;
        }),
        // a random run of bytes overwritten with random values
        Gen.Choose(0, valid.Length - 1).SelectMany(start => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Select(bytes =>
        {
            var copy = (byte[])valid.Clone();
            for (var i = 0; i < bytes.Length && start + i < copy.Length; i++) copy[start + i] = bytes[i];
            return copy;
        })));

    [Fact]
    public void Safetensors_MutatedFiles_ParseOrThrowInvalidDataNamingTheFile()
    {
        var valid = ValidSafetensors();
        Prop.ForAll(Mutations(valid).ToArbitrary(), bytes =>
            KeepsContract(() => Safetensors.Parse(bytes, "fuzz.safetensors"), "fuzz.safetensors", bytes.Length))
            .Check(Settings(1));
    }

    [Theory]
    [InlineData(1UL << 40)]          // a 1 TB header
    [InlineData(1UL << 30)]          // a 1 GB header
    [InlineData(ulong.MaxValue)]
    [InlineData(0UL)]
    public void Safetensors_HeaderLengthLies_ThrowsWithoutAllocatingIt(ulong claimed)
    {
        var bytes = ValidSafetensors();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimed);
        Assert.True(KeepsContract(() => Safetensors.Parse(bytes, "lie.safetensors"), "lie.safetensors", bytes.Length));
        Assert.Throws<InvalidDataException>(() => Safetensors.Parse(bytes, "lie.safetensors"));
    }

    [Theory]
    [InlineData("""{"x":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,4]}}""", "dimensions must be integers")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1048576,1048576],"data_offsets":[0,4]}}""", "span 4 bytes")]
    [InlineData("""{"x":{"dtype":"F32","shape":[NaN],"data_offsets":[0,4]}}""", "the header is not JSON")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4398046511104]}}""", "out of range")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "overlap")]
    public void Safetensors_AdversarialHeaders_ThrowNamingTheProblem(string header, string problem)
    {
        var bytes = NN.SafetensorsTests.Padded(header, new byte[4]);
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Parse(bytes, "adversarial.safetensors"));
        Assert.Contains("adversarial.safetensors", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.True(KeepsContract(() => Safetensors.Parse(bytes, "adversarial.safetensors"), "adversarial.safetensors", bytes.Length));
    }

    private static byte[] ValidIdx(bool gzip) =>
        Idx.Encode(new IdxArray([5, 6, 7], Enumerable.Range(0, 210).Select(i => (byte)(i * 37)).ToArray()), gzip);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_MutatedFiles_ParseOrThrowInvalidDataNamingTheFile(bool gzip)
    {
        var valid = ValidIdx(gzip);
        // A corrupt gzip may legitimately inflate to a different size; the bound is the format's own (IDX data is at
        // most the decompressed size, which gzip's deflate limits to about 1032 times the input).
        Prop.ForAll(Mutations(valid).ToArbitrary(), bytes =>
            KeepsContract(() => Idx.Parse(bytes, "fuzz.idx"), "fuzz.idx", bytes.Length, allowedFactor: gzip ? 2100 : 8))
            .Check(Settings(gzip ? 3UL : 2UL));
    }

    [Fact]
    public void Idx_HeaderClaimingTwoToTheFortyElements_ThrowsWithoutAllocatingThem()
    {
        // 00 00 08 03, then dimensions 2^20 x 2^10 x 2^10 = 2^40 bytes claimed, and 16 bytes of data.
        var bytes = new byte[4 + 12 + 16];
        bytes[2] = 0x08;
        bytes[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 1 << 20);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 1 << 10);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 1 << 10);
        var error = Assert.Throws<InvalidDataException>(() => Idx.Parse(bytes, "huge.idx"));
        Assert.Contains("huge.idx", error.Message);
        Assert.True(KeepsContract(() => Idx.Parse(bytes, "huge.idx"), "huge.idx", bytes.Length));
    }

    [Fact]
    public void Idx_GzipClaimingFourGigabytes_ThrowsWithoutAllocatingThem()
    {
        var bytes = ValidIdx(gzip: true);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), uint.MaxValue); // ISIZE: 4 GB
        Assert.True(KeepsContract(() => Idx.Parse(bytes, "bomb.idx.gz"), "bomb.idx.gz", bytes.Length, allowedFactor: 2100));
        Assert.Throws<InvalidDataException>(() => Idx.Parse(bytes, "bomb.idx.gz"));
    }
}
