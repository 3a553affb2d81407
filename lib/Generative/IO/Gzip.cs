using System.Buffers.Binary;
using System.IO.Compression;

namespace Generative.IO;

/// <summary>
/// Single-member gzip (RFC 1952) with a fixed header, and a strict reader that checks the trailer.
/// </summary>
/// <remarks>
/// <see cref="GZipStream"/> writes the platform's OS code into the header, and silently returns a short result
/// for some truncated inputs; writing the 10-byte header ourselves (mtime 0, no file name, OS = 255 "unknown")
/// and checking CRC-32 and length on read fixes both. The deflate bytes come from .NET's zlib at a fixed level,
/// so the same runtime produces the same file; SHA256SUMS records what was shipped.
/// </remarks>
internal static class Gzip
{
    private const byte FlagHeaderCrc = 0x02, FlagExtra = 0x04, FlagName = 0x08, FlagComment = 0x10;

    /// <summary>True if <paramref name="bytes"/> starts with the gzip magic 1F 8B.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;

    /// <summary>Compresses <paramref name="data"/> into a byte-reproducible gzip member.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255
        output.Write([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]);
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data);
        }
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.Compute(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)data.Length);
        output.Write(trailer);
        return output.ToArray();
    }

    /// <summary>Decompresses one gzip member, checking header, CRC-32 and length.</summary>
    /// <exception cref="InvalidDataException">The data is not gzip, is truncated or is corrupt; the message names
    /// <paramref name="name"/>.</exception>
    public static byte[] Decompress(byte[] compressed, string name)
    {
        if (compressed.Length < 18 || !IsGzip(compressed))
        {
            throw new InvalidDataException($"{name}: not a gzip file or truncated (only {compressed.Length} bytes).");
        }
        if (compressed[2] != 8)
        {
            throw new InvalidDataException($"{name}: unsupported gzip compression method {compressed[2]} (only deflate, 8).");
        }
        var flags = compressed[3];
        var offset = 10;
        try
        {
            if ((flags & FlagExtra) != 0)
            {
                offset += 2 + BinaryPrimitives.ReadUInt16LittleEndian(compressed.AsSpan(offset));
            }
            if ((flags & FlagName) != 0)
            {
                offset = Array.IndexOf(compressed, (byte)0, offset) + 1;
            }
            if ((flags & FlagComment) != 0)
            {
                offset = Array.IndexOf(compressed, (byte)0, offset) + 1;
            }
            if ((flags & FlagHeaderCrc) != 0)
            {
                offset += 2;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            offset = -1;
        }
        if (offset <= 0 || offset > compressed.Length - 8)
        {
            throw new InvalidDataException($"{name}: truncated gzip header.");
        }

        byte[] data;
        try
        {
            using var input = new MemoryStream(compressed, offset, compressed.Length - offset - 8);
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            deflate.CopyTo(output);
            data = output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: corrupt or truncated gzip data ({e.Message}).", e);
        }

        // Single-member files end with CRC-32 and length mod 2^32 of the uncompressed data; a truncated file ends
        // with deflate bytes instead, which fail this check.
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8));
        var expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        var actualCrc = Crc32.Compute(data);
        if (actualCrc != expectedCrc || (uint)data.Length != expectedLength)
        {
            throw new InvalidDataException(
                $"{name}: gzip check failed (CRC-32 {actualCrc:x8}, length {data.Length}; trailer says {expectedCrc:x8}, {expectedLength}): the file is truncated or corrupt.");
        }
        return data;
    }
}
