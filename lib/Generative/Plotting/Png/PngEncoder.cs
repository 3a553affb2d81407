using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

using Generative.IO;

namespace Generative.Plotting;

/// <summary>
/// A minimal PNG writer: one IHDR, one IDAT, one IEND; 8-bit channels; no row filters; zlib at a fixed
/// compression level. The same pixels give the same bytes for a given .NET runtime on every OS, which keeps
/// stored notebook outputs stable.
/// </summary>
internal static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Channels per pixel of each colour type.</summary>
    public static int Channels(PngColor color) => color switch
    {
        PngColor.Gray => 1,
        PngColor.Rgb => 3,
        _ => 4,
    };

    /// <summary>Encodes <paramref name="pixels"/>, row-major from the top, <see cref="Channels"/> bytes per pixel.</summary>
    public static byte[] Encode(int width, int height, PngColor color, ReadOnlySpan<byte> pixels)
    {
        if (width < 1 || height < 1)
        {
            throw new ArgumentException($"A PNG needs at least one pixel, got {width}x{height}.");
        }
        var stride = width * Channels(color);
        if (pixels.Length != stride * height)
        {
            throw new ArgumentException($"{width}x{height} {color} pixels need {stride * height} bytes, got {pixels.Length}.", nameof(pixels));
        }

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;            // bits per channel
        header[9] = (byte)color;
        header[10] = 0;           // deflate
        header[11] = 0;           // adaptive filtering (we use filter type 0 on every row)
        header[12] = 0;           // no interlace
        WriteChunk(output, "IHDR", header);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (var row = 0; row < height; row++)
                {
                    zlib.WriteByte(0); // filter type None
                    zlib.Write(pixels.Slice(row * stride, stride));
                }
            }
            WriteChunk(output, "IDAT", compressed.ToArray());
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        // The CRC covers the chunk type and data, not the length.
        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData.AsSpan(4));
        output.Write(typeAndData);
        var crc = IO.Crc32.Compute(typeAndData);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        output.Write(crcBytes);
    }

    /// <summary>The PNG as a <c>data:</c> URI for an <c>img</c> or SVG <c>image</c>.</summary>
    public static string ToDataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);
}
