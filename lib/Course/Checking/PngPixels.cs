using System.Buffers.Binary;
using System.IO.Compression;

namespace Course.Checking;

/// <summary>
/// Decodes a PNG to its header and raw pixel bytes (scanline filters undone), so two PNGs compare
/// equal when they show the same pixels even if their compressed bytes differ (another zlib,
/// another compression level). Interlaced images are not decoded: they compare by bytes.
/// </summary>
public static class PngPixels
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>True when both PNGs have the same size, pixel format, palette and pixels (or, for images this decoder does not handle, the same bytes).</summary>
    public static bool Equal(byte[] expectedPng, byte[] actualPng)
    {
        if (expectedPng.AsSpan().SequenceEqual(actualPng)) return true;
        var expected = TryDecode(expectedPng);
        var actual = TryDecode(actualPng);
        return expected is not null && actual is not null &&
               expected.Value.Header.SequenceEqual(actual.Value.Header) &&
               expected.Value.Palette.SequenceEqual(actual.Value.Palette) &&
               expected.Value.Pixels.SequenceEqual(actual.Value.Pixels);
    }

    /// <summary>The IHDR bytes, the palette (empty when none) and the unfiltered pixel bytes; null when not a decodable PNG.</summary>
    public static (byte[] Header, byte[] Palette, byte[] Pixels)? TryDecode(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) return null;
        byte[]? header = null;
        var palette = Array.Empty<byte>();
        using var compressed = new MemoryStream();
        for (var offset = 8; offset + 8 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (length < 0 || offset + 12 + length > png.Length) return null;
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR") header = data.ToArray();
            else if (type == "PLTE") palette = data.ToArray();
            else if (type == "IDAT") compressed.Write(data);
            else if (type == "IEND") break;
            offset += 12 + length;
        }
        if (header is not { Length: 13 } || header[12] != 0) return null; // interlaced: not decoded
        var width = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        var height = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        int bitDepth = header[8], colorType = header[9];
        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0) return null;
        var bitsPerPixel = channels * bitDepth;
        var bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        var stride = (width * bitsPerPixel + 7) / 8;

        byte[] filtered;
        try
        {
            compressed.Position = 0;
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            zlib.CopyTo(inflated);
            filtered = inflated.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
        if (filtered.Length < (long)(stride + 1) * height) return null;

        var pixels = new byte[stride * height];
        for (var row = 0; row < height; row++)
        {
            var filter = filtered[row * (stride + 1)];
            var source = filtered.AsSpan(row * (stride + 1) + 1, stride);
            var current = pixels.AsSpan(row * stride, stride);
            var previous = row > 0 ? pixels.AsSpan((row - 1) * stride, stride) : new byte[stride];
            for (var i = 0; i < stride; i++)
            {
                int left = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0;
                int up = previous[i];
                int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => -1,
                };
                if (predictor < 0) return null;
                current[i] = (byte)(source[i] + predictor);
            }
        }
        return (header, palette, pixels);
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        int toLeft = Math.Abs(estimate - left), toUp = Math.Abs(estimate - up), toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
}
