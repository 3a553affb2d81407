using System.Buffers.Binary;

using Generative.IO;

namespace Generative.Data;

/// <summary>
/// Reads and writes IDX files, the format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic
/// 00 00 &lt;type&gt; &lt;rank&gt;, then rank big-endian int32 dimension sizes, then the values in row-major order.
/// Only type 0x08 (unsigned byte) is supported, which is all these datasets use. Files may be gzip-compressed;
/// that is detected from the content, not the file name.
/// </summary>
public static class Idx
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file, gzip-compressed or raw.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Truncated or corrupt gzip, wrong magic, unsupported type, or a data
    /// size that disagrees with the header; the message names the file.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        }
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the bytes of an IDX file (gzip or raw); <paramref name="name"/> is used in error messages.</summary>
    public static IdxArray Parse(byte[] fileBytes, string name)
    {
        ArgumentNullException.ThrowIfNull(fileBytes);
        var bytes = Gzip.IsGzip(fileBytes) ? Gzip.Decompress(fileBytes, name) : fileBytes;
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            var magic = Convert.ToHexString(bytes.AsSpan(0, Math.Min(4, bytes.Length)));
            throw new InvalidDataException($"{name}: wrong magic number 0x{magic}; an IDX file starts with 00 00 <type> <rank>.");
        }
        if (bytes[2] != UnsignedByteType)
        {
            throw new InvalidDataException($"{name}: unsupported IDX data type 0x{bytes[2]:X2}; only 0x08 (unsigned byte) is supported.");
        }
        int rank = bytes[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{name}: the header declares 0 dimensions.");
        }
        var headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
        {
            throw new InvalidDataException($"{name}: truncated header: {rank} dimensions need {headerLength} bytes, the file has {bytes.Length}.");
        }
        var dimensions = new int[rank];
        long expected = 1;
        for (var i = 0; i < rank; i++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (size < 0)
            {
                throw new InvalidDataException($"{name}: dimension {i} has negative size {size}.");
            }
            dimensions[i] = size;
            expected *= size;
            if (expected > Array.MaxLength)
            {
                throw new InvalidDataException($"{name}: the header declares more values than an array can hold.");
            }
        }
        var actual = bytes.Length - headerLength;
        if (actual != expected)
        {
            var problem = actual < expected ? "truncated" : "has trailing bytes";
            throw new InvalidDataException(
                $"{name}: data size disagrees with the header ({problem}): dimensions [{string.Join(", ", dimensions)}] need {expected} bytes, found {actual}.");
        }
        return new IdxArray(dimensions, bytes[headerLength..]);
    }

    /// <summary>The bytes of an IDX file holding <paramref name="array"/>, gzip-compressed (reproducibly, header
    /// mtime 0) when <paramref name="gzip"/> is true.</summary>
    public static byte[] Encode(IdxArray array, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(array);
        var headerLength = 4 + 4 * array.Dimensions.Length;
        var raw = new byte[headerLength + array.Data.Length];
        raw[2] = UnsignedByteType;
        raw[3] = (byte)array.Dimensions.Length;
        for (var i = 0; i < array.Dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4 + 4 * i), array.Dimensions[i]);
        }
        array.Data.CopyTo(raw, headerLength);
        return gzip ? Gzip.Compress(raw) : raw;
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> via a temporary file and a rename, so a
    /// reader never sees a half-written file.</summary>
    public static void Write(string path, IdxArray array, bool gzip)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, Encode(array, gzip));
    }
}
