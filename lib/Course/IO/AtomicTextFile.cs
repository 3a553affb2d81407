using System.Text;

namespace Course.IO;

/// <summary>Whole text files written so that no reader ever sees one half written.</summary>
public static class AtomicTextFile
{
    /// <summary>
    /// Writes <paramref name="text"/> as UTF-8 without byte order mark to a temporary file beside <paramref name="path"/>,
    /// then renames it over <paramref name="path"/> (atomic within one file system), creating the folder; an interrupted
    /// write leaves the old file as it was and removes the temporary one.
    /// </summary>
    public static void Write(string path, string text)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        var temporaryPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporaryPath, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporaryPath)) File.Delete(temporaryPath);
        }
    }
}
