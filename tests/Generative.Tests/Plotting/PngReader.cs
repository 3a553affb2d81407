using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Generative.Tests.Plotting;

/// <summary>
/// A minimal PNG reader for the tests: walks the chunks, checks each CRC, inflates IDAT with ZLibStream and
/// undoes filter type 0. Enough to read back what our encoder writes, written independently of it.
/// </summary>
internal sealed record PngImage(int Width, int Height, int ColorType, byte[] Pixels, IReadOnlyList<string> ChunkTypes)
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public int Channels => ColorType switch { 0 => 1, 2 => 3, 6 => 4, _ => throw new InvalidDataException($"colour type {ColorType}") };

    public static PngImage Read(byte[] png, Func<byte[], uint> crc32)
    {
        if (!png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("not a PNG signature");
        var chunkTypes = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, colorType = -1;
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var typeAndData = png.AsSpan(offset + 4, 4 + length).ToArray();
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            if (crc32(typeAndData) != storedCrc) throw new InvalidDataException($"CRC mismatch in chunk {type}");
            var data = typeAndData.AsSpan(4);
            chunkTypes.Add(type);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    if (data[8] != 8) throw new InvalidDataException("bit depth");
                    colorType = data[9];
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            offset += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var image = new PngImage(width, height, colorType, [], chunkTypes);
        var stride = width * image.Channels;
        if (raw.Length != height * (stride + 1)) throw new InvalidDataException($"IDAT holds {raw.Length} bytes, expected {height * (stride + 1)}");
        var pixels = new byte[height * stride];
        for (var row = 0; row < height; row++)
        {
            if (raw[row * (stride + 1)] != 0) throw new InvalidDataException($"row {row} uses filter {raw[row * (stride + 1)]}; this reader only knows 0");
            Array.Copy(raw, row * (stride + 1) + 1, pixels, row * stride, stride);
        }
        return image with { Pixels = pixels };
    }
}
