using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Generative.Data;

using Generative.IO;

namespace Generative.NN;

/// <summary>
/// Reads and writes float32 tensors in the safetensors format (huggingface/safetensors), which PyTorch,
/// TorchSharp and most model hubs read.
/// </summary>
/// <remarks>
/// The layout, as the format's README describes it: 8 bytes holding N, the header size as an unsigned
/// little-endian 64-bit integer; N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype": "F32", "shape": [...], "data_offsets": [BEGIN, END]}</c>, where the offsets are relative to the start
/// of the byte buffer that follows the header and END is one past the last byte; an optional <c>__metadata__</c>
/// key holding a string-to-string map; then the byte buffer, little-endian and row-major ('C' order), packed
/// without strides. Duplicate keys are disallowed, empty tensors (a zero dimension) and scalars (shape <c>[]</c>)
/// are allowed. The reference implementation additionally requires the tensors to tile the buffer exactly (each
/// BEGIN equals the previous END, the last END is the buffer's end, END - BEGIN is the shape's product times
/// the dtype size), limits the header to 100,000,000 bytes, and when writing orders tensors by name (within a
/// dtype) and pads the header with spaces to a multiple of 8 bytes so that the data is aligned. Save follows
/// all of that; Load checks all of it and names the file and the problem when something is off.
/// </remarks>
public static class Safetensors
{
    /// <summary>The largest header accepted, as in the reference implementation.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The key of the free-form string map in the header.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Element sizes of the dtypes the format defines. F32 is loaded as is; I64, I32 and BOOL (PyTorch's
    /// BatchNorm counter num_batches_tracked, masks) as floats of the same value when float holds it exactly; the others
    /// are recognised so that their files are reported as unsupported rather than malformed.</summary>
    private static readonly Dictionary<string, int> DtypeSizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes <paramref name="tensors"/> (name -> shape and row-major data) and optional <paramref name="metadata"/>
    /// to <paramref name="path"/> as a safetensors file of F32 tensors. The save is atomic: the file is written to a
    /// temporary file in the same folder and then moved over <paramref name="path"/>, so a failed save leaves any
    /// previous file untouched and no temporary file behind. The same inputs always give the same bytes.
    /// </summary>
    /// <exception cref="ArgumentException">A name is <c>__metadata__</c> or not valid UTF-16, a dimension is negative,
    /// or a tensor's data length differs from its shape's product (found while writing; the old file is kept).</exception>
    public static void Save(string path, IReadOnlyDictionary<string, (int[] Shape, float[] Data)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);

        var entries = new List<(string Name, byte[] NameUtf8, int[] Shape, float[] Data, long Count)>(tensors.Count);
        foreach (var (name, (shape, data)) in tensors)
        {
            if (name is null) throw new ArgumentException("Safetensors.Save: a tensor name is null.", nameof(tensors));
            if (name == MetadataKey) throw new ArgumentException($"Safetensors.Save: '{MetadataKey}' is reserved for the metadata map and cannot name a tensor.", nameof(tensors));
            if (shape is null) throw new ArgumentException($"Safetensors.Save: tensor '{name}' has a null shape.", nameof(tensors));
            if (data is null) throw new ArgumentException($"Safetensors.Save: tensor '{name}' has null data.", nameof(tensors));
            long count = 1;
            foreach (var dimension in shape)
            {
                if (dimension < 0) throw new ArgumentException($"Safetensors.Save: tensor '{name}' has a negative dimension in shape {FormatShape(shape)}.", nameof(tensors));
                count = checked(count * dimension);
            }
            entries.Add((name, EncodeUtf8(name, "tensor name"), shape, data, count));
        }
        // The reference writer orders tensors by dtype (all F32 here), then by name as bytes.
        entries.Sort((x, y) => x.NameUtf8.AsSpan().SequenceCompareTo(y.NameUtf8));

        var header = BuildHeader(entries.Select(e => (e.NameUtf8, e.Shape, e.Count)), metadata);
        var temporary = AtomicFile.TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (var (name, _, shape, data, count) in entries)
                {
                    // Checked here, as each tensor is written, so that a bad tensor fails the save mid-way.
                    if (data.LongLength != count)
                        throw new ArgumentException($"Safetensors.Save: tensor '{name}' has shape {FormatShape(shape)} ({count} values) but {data.Length} values of data; '{path}' was left unchanged.", nameof(tensors));
                    WriteLittleEndian(stream, data);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // no-op after the move
        }
    }

    /// <summary>Reads the safetensors file at <paramref name="path"/>, checking its header against the format.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or holds a tensor of another dtype than F32; the
    /// message names the file and the problem.</exception>
    public static SafetensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of a whole safetensors file; <paramref name="path"/> is used in messages.</summary>
    internal static SafetensorsFile Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 8)
            throw Malformed(path, $"the file is too short: {bytes.Length} bytes, but a safetensors file starts with an 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        long available = bytes.Length - 8L;
        if (headerLength > (ulong)available)
            throw Malformed(path, $"the header length {headerLength} bytes is beyond the file size: only {available} bytes follow the 8-byte length ({bytes.Length} bytes in all).");
        if (headerLength > MaxHeaderBytes)
            throw Malformed(path, $"the header length {headerLength} bytes exceeds the format's limit of {MaxHeaderBytes} bytes.");
        var headerBytes = bytes.Slice(8, (int)headerLength);
        var buffer = bytes[(8 + (int)headerLength)..];

        string headerText;
        try
        {
            headerText = StrictUtf8.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed(path, "the header is not valid UTF-8.");
        }

        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(headerText);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Malformed(path, $"the header is not a JSON object but a JSON {document.RootElement.ValueKind}.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Malformed(path, $"the name '{property.Name}' appears more than once in the header (duplicate names are not allowed).");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, path);
                else entries.Add(ReadEntry(property.Name, property.Value, path));
            }
        }
        catch (JsonException exception)
        {
            throw Malformed(path, $"the header is not JSON: {exception.Message}");
        }

        var unsupported = entries.Where(e => e.Dtype is not ("F32" or "I64" or "I32" or "BOOL")).ToList();
        if (unsupported.Count > 0)
            throw Malformed(path, $"unsupported dtype: {string.Join(", ", unsupported.Select(e => $"tensor '{e.Name}' is {e.Dtype}"))}; only F32 tensors (and I64, I32 and BOOL ones, read as floats) can be loaded (convert them to float32 before saving).");

        ValidateLayout(entries, buffer.Length, path);

        var names = new List<string>(entries.Count);
        var tensors = new Dictionary<string, (int[] Shape, float[] Data)>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var bytesOfEntry = buffer.Slice((int)entry.Begin, (int)(entry.End - entry.Begin));
            var data = new float[bytesOfEntry.Length / DtypeSizes[entry.Dtype]];
            if (entry.Dtype == "F32") ReadLittleEndian(bytesOfEntry, data);
            else ReadAsFloats(bytesOfEntry, entry, data, path);
            names.Add(entry.Name);
            tensors.Add(entry.Name, (entry.Shape, data));
        }
        return new SafetensorsFile(path, names, tensors, metadata);
    }

    private sealed record Entry(string Name, string Dtype, int[] Shape, long Begin, long End);

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Malformed(path, $"'{MetadataKey}' must be a JSON object mapping strings to strings, not a JSON {value.ValueKind}.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Malformed(path, $"'{MetadataKey}' must map strings to strings, but its key '{item.Name}' holds a JSON {item.Value.ValueKind}.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Malformed(path, $"the key '{item.Name}' appears more than once in '{MetadataKey}'.");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Malformed(path, $"tensor '{name}' must be described by a JSON object with dtype, shape and data_offsets, not a JSON {value.ValueKind}.");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Malformed(path, $"tensor '{name}' has no \"dtype\" string.");
        var dtype = dtypeElement.GetString()!;
        if (!DtypeSizes.ContainsKey(dtype))
            throw Malformed(path, $"tensor '{name}' has dtype '{dtype}', which the safetensors format does not define (unsupported dtype).");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Malformed(path, $"tensor '{name}' has no \"shape\" array.");
        var shape = new int[shapeElement.GetArrayLength()];
        int axis = 0;
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt32(out shape[axis]) || shape[axis] < 0)
                throw Malformed(path, $"tensor '{name}' has shape {shapeElement.GetRawText()}, but dimensions must be integers from 0 to {int.MaxValue}.");
            axis++;
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Malformed(path, $"tensor '{name}' has no \"data_offsets\" array of two integers [BEGIN, END].");
        if (!TryGetOffset(offsets[0], out long begin) || !TryGetOffset(offsets[1], out long end))
            throw Malformed(path, $"tensor '{name}' has data_offsets {offsets.GetRawText()}, but offsets must be non-negative integers.");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static bool TryGetOffset(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value >= 0;
    }

    /// <summary>Sorts <paramref name="entries"/> by offset and checks that they tile [0, bufferLength) exactly and
    /// that each byte range holds its shape's worth of elements.</summary>
    private static void ValidateLayout(List<Entry> entries, long bufferLength, string path)
    {
        foreach (var entry in entries)
        {
            if (entry.End < entry.Begin)
                throw Malformed(path, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] whose end is before its begin.");
            if (entry.End > bufferLength)
                throw Malformed(path, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] out of range: the data buffer after the header has {bufferLength} bytes.");
        }
        entries.Sort((x, y) => x.Begin != y.Begin ? x.Begin.CompareTo(y.Begin) : x.End.CompareTo(y.End));

        long position = 0;
        Entry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Begin < position)
                throw Malformed(path, $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}) and '{entry.Name}' [{entry.Begin}, {entry.End}) overlap in the data buffer.");
            if (entry.Begin > position)
                throw Malformed(path, $"bytes [{position}, {entry.Begin}) of the data buffer belong to no tensor (a hole before tensor '{entry.Name}'); tensors must be contiguous.");
            long expected;
            try
            {
                expected = entry.Shape.Aggregate(1L, (product, dimension) => checked(product * dimension));
                expected = checked(expected * DtypeSizes[entry.Dtype]);
            }
            catch (OverflowException)
            {
                throw Malformed(path, $"tensor '{entry.Name}' has shape {FormatShape(entry.Shape)} whose size overflows.");
            }
            if (expected != entry.End - entry.Begin)
                throw Malformed(path, $"tensor '{entry.Name}' has shape {FormatShape(entry.Shape)} ({expected / DtypeSizes[entry.Dtype]} {entry.Dtype} values = {expected} bytes) but data_offsets [{entry.Begin}, {entry.End}) span {entry.End - entry.Begin} bytes.");
            position = entry.End;
            previous = entry;
        }
        if (position != bufferLength)
            throw Malformed(path, $"bytes [{position}, {bufferLength}) of the data buffer belong to no tensor (a hole at the end); the last tensor must end where the file ends.");
    }

    /// <summary>The header JSON as the reference writer lays it out (metadata first, then tensors in the given
    /// order, no whitespace), padded with spaces to a multiple of 8 bytes.</summary>
    private static byte[] BuildHeader(IEnumerable<(byte[] NameUtf8, int[] Shape, long Count)> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder();
        json.Append('{');
        bool first = true;
        if (metadata is { Count: > 0 })
        {
            json.Append('"').Append(MetadataKey).Append("\":{");
            bool firstItem = true;
            foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                if (key is null || value is null)
                    throw new ArgumentException("Safetensors.Save: metadata keys and values must not be null.", nameof(metadata));
                EncodeUtf8(key, "metadata key");
                EncodeUtf8(value, "metadata value");
                if (!firstItem) json.Append(',');
                AppendString(json, key).Append(':');
                AppendString(json, value);
                firstItem = false;
            }
            json.Append('}');
            first = false;
        }
        long offset = 0;
        foreach (var (nameUtf8, shape, count) in entries)
        {
            if (!first) json.Append(',');
            first = false;
            long end = checked(offset + count * sizeof(float));
            AppendString(json, Encoding.UTF8.GetString(nameUtf8));
            json.Append(":{\"dtype\":\"F32\",\"shape\":[");
            json.AppendJoin(',', shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            json.Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset = end;
        }
        json.Append('}');
        var text = StrictUtf8.GetBytes(json.ToString());
        int padded = (text.Length + 7) / 8 * 8;
        var header = new byte[padded];
        text.CopyTo(header, 0);
        header.AsSpan(text.Length).Fill((byte)' ');
        return header;
    }

    /// <summary>A JSON string literal escaped as serde_json (the reference's JSON library) escapes it: quote,
    /// backslash and control characters; everything else verbatim as UTF-8.</summary>
    private static StringBuilder AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < 0x20) json.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else json.Append(c);
                    break;
            }
        }
        return json.Append('"');
    }

    private static byte[] EncodeUtf8(string value, string what)
    {
        try
        {
            return StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"Safetensors.Save: the {what} '{value}' is not valid UTF-16 (a lone surrogate) and cannot be written as UTF-8.");
        }
    }

    private static void WriteLittleEndian(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        foreach (var value in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            stream.Write(bytes);
        }
    }

    private static void ReadLittleEndian(ReadOnlySpan<byte> bytes, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(4 * i, 4));
    }

    /// <summary>I64, I32 and BOOL values as floats, each exactly (integers up to 2^24 in size; BOOL bytes 0 or 1).</summary>
    private static void ReadAsFloats(ReadOnlySpan<byte> bytes, Entry entry, float[] data, string path)
    {
        const long Exact = 1 << 24;
        for (var i = 0; i < data.Length; i++)
        {
            long value = entry.Dtype switch
            {
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(8 * i, 8)),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(4 * i, 4)),
                _ => bytes[i] <= 1 ? bytes[i] : throw Malformed(path, $"tensor '{entry.Name}' is BOOL but element {i} is the byte {bytes[i]}, not 0 or 1."),
            };
            if (value > Exact || value < -Exact)
                throw Malformed(path, $"tensor '{entry.Name}' ({entry.Dtype}) holds {value} at element {i}, which float32 cannot represent exactly (integers up to 2^24 only).");
            data[i] = value;
        }
    }

    private static string FormatShape(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static InvalidDataException Malformed(string path, string problem) =>
        new($"Safetensors file '{path}': {problem}");
}
