using Generative.IO;

namespace Generative.Data;

/// <summary>
/// Fetches official Fashion-MNIST files into a cache folder. A file is written to a temporary name, its SHA-256
/// compared with the official value, and only then renamed into place, so the cache never holds a partial or
/// corrupt file under a real name.
/// </summary>
internal sealed class FashionMnistDownloader(HttpMessageHandler? handler, string cacheDirectory, Uri baseUri)
{
    /// <summary>The official host (http only: the S3 website endpoint has no TLS).</summary>
    public static readonly Uri OfficialBaseUri = new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    public string CacheDirectory { get; } = cacheDirectory;

    /// <summary>The verified bytes of <paramref name="file"/>, from the cache or downloaded into it.</summary>
    /// <exception cref="InvalidDataException">The download does not match the official SHA-256.</exception>
    /// <exception cref="HttpRequestException">The download failed; the message names the URL.</exception>
    public byte[] GetVerified(FashionMnistFile file)
    {
        var path = Path.Combine(CacheDirectory, file.Name);
        if (File.Exists(path))
        {
            var cached = File.ReadAllBytes(path);
            if (Sha256.Hex(cached) == file.GzipSha256)
            {
                return cached;
            }
            // Only a verified file is ever renamed into place, so a mismatch means outside tampering or disk
            // corruption; fetching a fresh copy is the useful response.
        }

        var uri = new Uri(baseUri, file.Name);
        byte[] bytes;
        try
        {
            using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            client.Timeout = TimeSpan.FromMinutes(10);
            bytes = client.GetByteArrayAsync(uri).ConfigureAwait(false).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new HttpRequestException($"Downloading {uri} failed: {e.Message} (to work offline use DatasetSource.Embedded, or install the Debian package dataset-fashion-mnist).", e);
        }
        Sha256.Verify(bytes, file.GzipSha256, uri.ToString(),
            $"The download is incomplete or not the official file; nothing was cached in {CacheDirectory}.");
        AtomicFile.WriteAllBytes(path, bytes);
        return bytes;
    }

    /// <summary>$XDG_CACHE_HOME/generative-course/fashion-mnist, else ~/.cache/generative-course/fashion-mnist
    /// (on Windows, %LOCALAPPDATA%\generative-course\fashion-mnist).</summary>
    public static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root;
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            root = xdg;
        }
        else if (OperatingSystem.IsWindows())
        {
            root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        else
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(root, "generative-course", "fashion-mnist");
    }
}
