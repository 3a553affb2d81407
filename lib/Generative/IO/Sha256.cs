using System.Security.Cryptography;

namespace Generative.IO;

/// <summary>SHA-256 helpers and the <c>SHA256SUMS</c> format written by <c>sha256sum</c>.</summary>
internal static class Sha256
{
    /// <summary>The lowercase hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The lowercase hex SHA-256 of the file at <paramref name="path"/>, streamed rather than read whole.</summary>
    public static string HexOfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws unless <paramref name="bytes"/> hash to <paramref name="expectedHex"/>.</summary>
    /// <exception cref="InvalidDataException">Checksum mismatch, naming <paramref name="name"/> and both hashes.</exception>
    public static void Verify(ReadOnlySpan<byte> bytes, string expectedHex, string name, string remedy)
    {
        var actual = Hex(bytes);
        if (!string.Equals(actual, expectedHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{name}: SHA-256 checksum mismatch: expected {expectedHex}, got {actual}. {remedy}");
        }
    }

    /// <summary>
    /// Parses a SHA256SUMS file: one "&lt;64 hex digits&gt; &lt;space&gt; &lt;space or *&gt; &lt;file name&gt;" per line;
    /// blank lines and lines starting with # are ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">A malformed line; the message names the file and the line number.</exception>
    public static IReadOnlyDictionary<string, string> ReadSums(string path)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }
            var valid = line.Length > 66 && line[64] == ' ' && (line[65] == ' ' || line[65] == '*')
                && line[..64].All(Uri.IsHexDigit);
            if (!valid)
            {
                throw new InvalidDataException($"{path}: line {lineNumber} is not '<sha256>  <file name>': {line}");
            }
            sums[line[66..]] = line[..64].ToLowerInvariant();
        }
        return sums;
    }
}
