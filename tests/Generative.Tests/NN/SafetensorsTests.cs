using System.Buffers.Binary;
using System.Text;
using Generative.NN;
using Generative.Tests.Data;

namespace Generative.Tests.NN;

/// <summary>
/// Safetensors against the format as its README and reference implementation (huggingface/safetensors) describe
/// it: an 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a multiple of 8 by the
/// reference writer), then the byte buffer that the data_offsets [BEGIN, END) index. Files are assembled byte by
/// byte here from that description, independently of the code under test.
/// </summary>
public class SafetensorsTests
{
    // ---- round trip and known bytes ----

    [Fact]
    public void SaveThenLoad_TensorsAndMetadata_RoundTripBitExact()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("model.safetensors");
        float[] special = [0f, -0f, 1.5f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue,
            float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC0_1234), 1e-40f, MathF.PI];
        var random = new Generator(11);
        var big = Enumerable.Range(0, 64 * 3 * 4 * 4).Select(_ => (float)random.Normal()).ToArray();
        var tensors = new Dictionary<string, (int[] Shape, float[] Data)>
        {
            ["encoder.conv1.weight"] = ([64, 3, 4, 4], big),
            ["special"] = ([3, 4], special),
            ["scalar"] = ([], [42.25f]),
            ["empty"] = ([0, 3], []),
            ["naïve \"quoted\" name\n"] = ([2], [1f, 2f]),
            ["a"] = ([1], [7f]),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode, \"quotes\", \\ and\ttabs" };

        Safetensors.Save(path, tensors, metadata);
        var loaded = Safetensors.Load(path);

        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), loaded.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (shape, data)) in tensors)
        {
            Assert.Equal(shape, loaded[name].Shape);
            Assert.Equal(data.Select(BitConverter.SingleToInt32Bits), loaded[name].Data.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(metadata, loaded.Metadata);
        Assert.Equal(path, loaded.Path);
        // Saving what was loaded gives the same bytes: the writer is deterministic.
        var again = folder.File("again.safetensors");
        Safetensors.Save(again, loaded.Tensors, loaded.Metadata);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void Save_OneTensor_WritesTheReferenceWritersBytes()
    {
        // The reference writer's alignment test: tensor "attn0", F32, shape [1, 1, 2, 3], values 0..5 gives a
        // 65-byte JSON header padded with 7 spaces to N = 72, then the 24 data bytes.
        using var folder = new TemporaryDirectory();
        var path = folder.File("attn.safetensors");
        const string json = """{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}""";
        var expected = Assemble(json, 72, Floats(0, 1, 2, 3, 4, 5));

        Safetensors.Save(path, new Dictionary<string, (int[] Shape, float[] Data)> { ["attn0"] = ([1, 1, 2, 3], [0, 1, 2, 3, 4, 5]) });

        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Save_NoTensors_WritesTheReferenceWritersBytes()
    {
        // The reference writer's empty tests: "{}" padded to 8, and a metadata map alone padded from 35 to 40 bytes.
        using var folder = new TemporaryDirectory();
        var empty = folder.File("empty.safetensors");
        var withMetadata = folder.File("metadata.safetensors");
        var none = new Dictionary<string, (int[] Shape, float[] Data)>();

        Safetensors.Save(empty, none);
        Safetensors.Save(withMetadata, none, new Dictionary<string, string> { ["framework"] = "pt" });

        Assert.Equal(Assemble("{}", 8, []), File.ReadAllBytes(empty));
        Assert.Equal(Assemble("""{"__metadata__":{"framework":"pt"}}""", 40, []), File.ReadAllBytes(withMetadata));
        Assert.Empty(Safetensors.Load(empty).Tensors);
        Assert.Equal("pt", Safetensors.Load(withMetadata).Metadata["framework"]);
    }

    [Fact]
    public void Load_HandBuiltFile_ReadsTensorsInOffsetOrderWithMetadata()
    {
        // Keys in neither name nor offset order, whitespace in the JSON, no padding: all allowed by the format.
        using var folder = new TemporaryDirectory();
        var path = folder.File("hand.safetensors");
        const string json = """
            { "weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [8, 32]},
              "__metadata__": {"format": "pt", "epoch": "3"},
              "bias": {"shape": [2], "data_offsets": [0, 8], "dtype": "F32"} }
            """;
        File.WriteAllBytes(path, Assemble(json, Encoding.UTF8.GetByteCount(json), Floats(0.5f, -2f, 1, 2, 3, 4, 5, 6)));

        var file = Safetensors.Load(path);

        Assert.Equal(["bias", "weight"], file.Names);
        Assert.Equal([2], file["bias"].Shape);
        Assert.Equal([0.5f, -2f], file["bias"].Data);
        Assert.Equal([2, 3], file["weight"].Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], file["weight"].Data);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "3" }, file.Metadata);
    }

    [Fact]
    public void Indexer_UnknownName_ThrowsListingTheNames()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("two.safetensors");
        Safetensors.Save(path, new Dictionary<string, (int[] Shape, float[] Data)> { ["w"] = ([1], [1f]), ["b"] = ([1], [2f]) });

        var exception = Assert.Throws<KeyNotFoundException>(() => Safetensors.Load(path)["weight"]);

        Assert.Contains("no tensor named 'weight'", exception.Message);
        Assert.Contains("'b', 'w'", exception.Message);
    }

    [Fact]
    public void Load_PyTorchBatchNormWithI64CounterAndBoolMask_ReadsThemAsFloatsAndAModuleSkipsThem()
    {
        // As torch's save_file writes a BatchNorm1d(2) state dict: F32 weight, bias and running stats, and the I64
        // scalar num_batches_tracked; plus a BOOL mask. Laid out by hand from the format's spec.
        using var folder = new TemporaryDirectory();
        var path = folder.File("batchnorm.safetensors");
        byte[] floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
        var header = """{"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"mask":{"dtype":"BOOL","shape":[3],"data_offsets":[8,11]},"num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[11,19]},"running_mean":{"dtype":"F32","shape":[2],"data_offsets":[19,27]},"running_var":{"dtype":"F32","shape":[2],"data_offsets":[27,35]},"weight":{"dtype":"F32","shape":[2],"data_offsets":[35,43]}}""";
        File.WriteAllBytes(path, Padded(header, [.. floats(0.5f, -0.5f), 1, 0, 1, .. LittleEndian(937), .. floats(0.1f, 0.2f), .. floats(0.9f, 1.1f), .. floats(2f, 3f)]));

        var file = Safetensors.Load(path);
        Assert.Equal([937f], file.Tensors["num_batches_tracked"].Data);
        Assert.Empty(file.Tensors["num_batches_tracked"].Shape);
        Assert.Equal([1f, 0f, 1f], file.Tensors["mask"].Data);

        var norm = new Generative.NN.BatchNorm1d(2);
        var strictError = Assert.Throws<InvalidDataException>(() => norm.Load(path));
        Assert.Contains("unexpected tensor 'num_batches_tracked'", strictError.Message);
        var result = norm.Load(path, strict: false);
        Assert.Equal(["mask", "num_batches_tracked"], result.UnexpectedKeys);
        Assert.Equal([2f, 3f], norm.Weight!.ToArray());
        Assert.Equal([0.9f, 1.1f], norm.RunningVar!.ToArray());
    }

    // ---- malformed files ----

    /// <summary>A malformed file (built from the spec by name) and the words the error must contain.</summary>
    public static TheoryData<string, string> MalformedFiles => new()
    {
        { "five bytes", "the file is too short: 5 bytes" },
        { "header length beyond file", "the header length 1000 bytes is beyond the file size: only 20 bytes follow" },
        { "header not UTF-8", "the header is not valid UTF-8" },
        { "header not JSON", "the header is not JSON" },
        { "header an array", "the header is not a JSON object but a JSON Array" },
        { "F16", "unsupported dtype: tensor 'x' is F16; only F32" },
        { "BF16", "unsupported dtype: tensor 'x' is BF16; only F32" },
        { "F64", "unsupported dtype: tensor 'x' is F64; only F32" },
        { "U8", "unsupported dtype: tensor 'x' is U8; only F32" },
        { "I64 beyond float", "tensor 'x' (I64) holds 16777217 at element 1, which float32 cannot represent exactly" },
        { "BOOL byte 2", "tensor 'x' is BOOL but element 0 is the byte 2, not 0 or 1" },
        { "unknown dtype", "tensor 'x' has dtype 'float32', which the safetensors format does not define (unsupported dtype)" },
        { "shape product differs from bytes", "tensor 'x' has shape [2, 3] (6 F32 values = 24 bytes) but data_offsets [0, 20) span 20 bytes" },
        { "overlap", "tensors 'a' [0, 16) and 'b' [8, 24) overlap" },
        { "hole between", "bytes [8, 12) of the data buffer belong to no tensor (a hole before tensor 'b')" },
        { "hole at start", "bytes [0, 4) of the data buffer belong to no tensor (a hole before tensor 'a')" },
        { "hole at end", "bytes [8, 12) of the data buffer belong to no tensor (a hole at the end)" },
        { "offsets out of range", "tensor 'a' has data_offsets [0, 400] out of range: the data buffer after the header has 8 bytes" },
        { "end before begin", "tensor 'a' has data_offsets [8, 0] whose end is before its begin" },
        { "duplicate names", "the name 'a' appears more than once in the header" },
        { "metadata not strings", "'__metadata__' must map strings to strings, but its key 'epoch' holds a JSON Number" },
        { "missing dtype", "tensor 'a' has no \"dtype\" string" },
        { "negative dimension", "tensor 'a' has shape [-2], but dimensions must be integers" },
        { "three offsets", "tensor 'a' has no \"data_offsets\" array of two integers" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Load_MalformedFile_ThrowsNamingFileAndProblem(string malformation, string problem)
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("bad.safetensors");
        File.WriteAllBytes(path, Malformed(malformation));

        var exception = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));

        Assert.StartsWith($"Safetensors file '{path}': ", exception.Message);
        Assert.Contains(problem, exception.Message);
    }

    private static byte[] Malformed(string malformation) => malformation switch
    {
        "five bytes" => [1, 2, 3, 4, 5],
        "header length beyond file" => [.. LittleEndian(1000), .. new byte[20]],
        "header not UTF-8" => [.. LittleEndian(4), 0x7B, 0xFF, 0xFE, 0x7D],
        "header not JSON" => Padded("""{"a": {"dtype": """, []),
        "header an array" => Padded("[1, 2]", []),
        "F16" or "BF16" => Padded($$$"""{"x":{"dtype":"{{{malformation}}}","shape":[2],"data_offsets":[0,4]}}""", new byte[4]),
        "F64" => Padded($$$"""{"x":{"dtype":"{{{malformation}}}","shape":[2],"data_offsets":[0,16]}}""", new byte[16]),
        "U8" => Padded("""{"x":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""", new byte[2]),
        "I64 beyond float" => Padded("""{"x":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}""", [.. LittleEndian(5), .. LittleEndian((1 << 24) + 1)]),
        "BOOL byte 2" => Padded("""{"x":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}""", [2]),
        "unknown dtype" => Padded("""{"x":{"dtype":"float32","shape":[2],"data_offsets":[0,8]}}""", new byte[8]),
        "shape product differs from bytes" => Padded("""{"x":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", new byte[20]),
        "overlap" => Padded("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", new byte[24]),
        "hole between" => Padded("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}""", new byte[20]),
        "hole at start" => Padded("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]),
        "hole at end" => Padded("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[12]),
        "offsets out of range" => Padded("""{"a":{"dtype":"F32","shape":[100],"data_offsets":[0,400]}}""", new byte[8]),
        "end before begin" => Padded("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", new byte[8]),
        "duplicate names" => Padded("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]),
        "metadata not strings" => Padded("""{"__metadata__":{"format":"pt","epoch":3}}""", []),
        "missing dtype" => Padded("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", new byte[4]),
        "negative dimension" => Padded("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", new byte[8]),
        "three offsets" => Padded("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}""", new byte[8]),
        _ => throw new ArgumentOutOfRangeException(nameof(malformation), malformation, "no such malformed file"),
    };

    // ---- atomic saves and bad arguments ----

    [Fact]
    public void Save_TensorShorterThanItsShape_FailsMidWriteKeepingOldFileAndNoTemporary()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("model.safetensors");
        Safetensors.Save(path, new Dictionary<string, (int[] Shape, float[] Data)> { ["w"] = ([2], [1f, 2f]) });
        var before = File.ReadAllBytes(path);
        // "a" sorts first and is written in full before "z" turns out to be short: the failure comes mid-write.
        var bad = new Dictionary<string, (int[] Shape, float[] Data)>
        {
            ["z"] = ([2, 3], [1f, 2f, 3f, 4f, 5f]),
            ["a"] = ([1000], new float[1000]),
        };

        var exception = Assert.Throws<ArgumentException>(() => Safetensors.Save(path, bad));

        Assert.Contains("tensor 'z' has shape [2, 3] (6 values) but 5 values of data", exception.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Save_ExistingFile_ReplacesItAndLeavesNoTemporary()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("model.safetensors");
        Safetensors.Save(path, new Dictionary<string, (int[] Shape, float[] Data)> { ["w"] = ([2], [1f, 2f]) });

        Safetensors.Save(path, new Dictionary<string, (int[] Shape, float[] Data)> { ["v"] = ([3], [3f, 4f, 5f]) });

        var loaded = Safetensors.Load(path);
        Assert.Equal(["v"], loaded.Names);
        Assert.Equal([3f, 4f, 5f], loaded["v"].Data);
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    public static TheoryData<string, int[], int, string> InvalidTensors => new()
    {
        { "__metadata__", [1], 1, "'__metadata__' is reserved" },
        { "w", [2, -1], 0, "tensor 'w' has a negative dimension in shape [2, -1]" },
    };

    [Theory]
    [MemberData(nameof(InvalidTensors))]
    public void Save_InvalidTensor_ThrowsWithoutTouchingTheFolder(string name, int[] shape, int length, string problem)
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("model.safetensors");

        var exception = Assert.Throws<ArgumentException>(() =>
            Safetensors.Save(path, new Dictionary<string, (int[] Shape, float[] Data)> { [name] = (shape, new float[length]) }));

        Assert.Contains(problem, exception.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Save_NameWithLoneSurrogate_ThrowsBecauseItHasNoUtf8Form()
    {
        using var folder = new TemporaryDirectory();
        var name = "bad" + (char)0xD800 + "name"; // built here: a lone surrogate does not survive theory-data serialization

        var exception = Assert.Throws<ArgumentException>(() =>
            Safetensors.Save(folder.File("model.safetensors"), new Dictionary<string, (int[] Shape, float[] Data)> { [name] = ([1], [1f]) }));

        Assert.Contains("not valid UTF-16", exception.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    // ---- byte assembly from the spec ----

    /// <summary>8-byte little-endian N, the header padded with spaces to N bytes, then the buffer.</summary>
    internal static byte[] Assemble(string json, int headerLength, byte[] buffer)
    {
        var header = Encoding.UTF8.GetBytes(json);
        Assert.True(header.Length <= headerLength);
        return [.. LittleEndian((ulong)headerLength), .. header, .. Enumerable.Repeat((byte)' ', headerLength - header.Length), .. buffer];
    }

    /// <summary>The header padded with spaces to a multiple of 8, as the reference writer does.</summary>
    internal static byte[] Padded(string json, byte[] buffer) => Assemble(json, (Encoding.UTF8.GetByteCount(json) + 7) / 8 * 8, buffer);

    internal static byte[] Floats(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    private static byte[] LittleEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }
}
