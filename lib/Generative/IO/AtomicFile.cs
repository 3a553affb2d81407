namespace Generative.IO;

/// <summary>Whole-file writes that are never observed half done.</summary>
internal static class AtomicFile
{
    /// <summary>Writes to a unique temporary file beside <paramref name="path"/>, then renames it over
    /// <paramref name="path"/> (atomic within one file system). The temporary file is removed on failure.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = TemporaryPathFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // no-op after a successful move
        }
    }

    /// <summary>A fresh temporary file name in the same directory as <paramref name="path"/>.</summary>
    public static string TemporaryPathFor(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
    }
}
