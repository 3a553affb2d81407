using System.Net;
using Generative.Data;

using Generative.IO;

namespace Generative.Tests.Data;

public class FashionMnistDownloaderTests
{
    private static readonly Uri BaseUri = new("http://example.test/fashion/");

    /// <summary>Serves fixed bytes per file name and counts requests; no network involved.</summary>
    private sealed class FakeHandler(Dictionary<string, byte[]> files) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            var name = request.RequestUri!.Segments[^1];
            var response = files.TryGetValue(name, out var bytes)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) }
                : new HttpResponseMessage(HttpStatusCode.NotFound);
            return Task.FromResult(response);
        }
    }

    private static (FashionMnistFile File, byte[] Bytes) TestFile()
    {
        var bytes = Idx.Encode(new IdxArray([4], [0, 1, 2, 3]), gzip: true);
        return (new FashionMnistFile("labels.gz", Sha256.Hex(bytes), "unused"), bytes);
    }

    [Fact]
    public void GetVerified_GoodDownload_ReturnsBytesAndCachesThem()
    {
        using var cache = new TemporaryDirectory();
        var (file, bytes) = TestFile();
        var handler = new FakeHandler(new() { ["labels.gz"] = bytes });
        var downloader = new FashionMnistDownloader(handler, cache.Path, BaseUri);

        var result = downloader.GetVerified(file);

        Assert.Equal(bytes, result);
        Assert.Equal(bytes, File.ReadAllBytes(cache.File("labels.gz")));
        Assert.Equal(["labels.gz"], Directory.GetFiles(cache.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GetVerified_SecondCall_UsesCacheWithoutRequest()
    {
        using var cache = new TemporaryDirectory();
        var (file, bytes) = TestFile();
        var handler = new FakeHandler(new() { ["labels.gz"] = bytes });
        var downloader = new FashionMnistDownloader(handler, cache.Path, BaseUri);

        downloader.GetVerified(file);
        var again = downloader.GetVerified(file);

        Assert.Equal(1, handler.Requests);
        Assert.Equal(bytes, again);
    }

    [Fact]
    public void GetVerified_CorruptDownload_ThrowsNamingUrlAndCachesNothing()
    {
        using var cache = new TemporaryDirectory();
        var (file, bytes) = TestFile();
        var corrupt = (byte[])bytes.Clone();
        corrupt[^1] ^= 0xFF;
        var handler = new FakeHandler(new() { ["labels.gz"] = corrupt });
        var downloader = new FashionMnistDownloader(handler, cache.Path, BaseUri);

        var error = Assert.Throws<InvalidDataException>(() => downloader.GetVerified(file));

        Assert.Contains("http://example.test/fashion/labels.gz", error.Message);
        Assert.Contains("SHA-256", error.Message);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void GetVerified_TamperedCacheFile_DownloadsAgainAndReplacesIt()
    {
        using var cache = new TemporaryDirectory();
        var (file, bytes) = TestFile();
        File.WriteAllBytes(cache.File("labels.gz"), [1, 2, 3]);
        var handler = new FakeHandler(new() { ["labels.gz"] = bytes });
        var downloader = new FashionMnistDownloader(handler, cache.Path, BaseUri);

        var result = downloader.GetVerified(file);

        Assert.Equal(1, handler.Requests);
        Assert.Equal(bytes, result);
        Assert.Equal(bytes, File.ReadAllBytes(cache.File("labels.gz")));
    }

    [Fact]
    public void GetVerified_NotFound_ThrowsHttpRequestExceptionNamingUrl()
    {
        using var cache = new TemporaryDirectory();
        var (file, _) = TestFile();
        var downloader = new FashionMnistDownloader(new FakeHandler([]), cache.Path, BaseUri);

        var error = Assert.Throws<HttpRequestException>(() => downloader.GetVerified(file));

        Assert.Contains("http://example.test/fashion/labels.gz", error.Message);
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void LoadFrom_DownloadWithNonOfficialBytes_ThrowsAndCachesNothing()
    {
        // The public path checks the real official hashes: bytes that are not the official file are refused.
        using var cache = new TemporaryDirectory();
        var fake = Idx.Encode(new IdxArray([1], [0]), gzip: true);
        var handler = new FakeHandler(new() { ["t10k-images-idx3-ubyte.gz"] = fake, ["t10k-labels-idx1-ubyte.gz"] = fake });
        var downloader = new FashionMnistDownloader(handler, cache.Path, BaseUri);

        Assert.Throws<InvalidDataException>(() => FashionMnist.LoadFrom(DatasetSplit.Test, DatasetSource.Download, cache.File("no-system"), downloader));
        Assert.Empty(Directory.GetFiles(cache.Path));
    }

    [Fact]
    public void LoadFrom_AutoWithoutSystemPackage_Downloads()
    {
        using var cache = new TemporaryDirectory();
        var handler = new FakeHandler([]);
        var downloader = new FashionMnistDownloader(handler, cache.Path, BaseUri);

        Assert.Throws<HttpRequestException>(() => FashionMnist.LoadFrom(DatasetSplit.Test, DatasetSource.Auto, cache.File("no-system"), downloader));
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public void DefaultCacheDirectory_Always_EndsWithCourseFolder()
    {
        Assert.EndsWith(Path.Combine("generative-course", "fashion-mnist"), FashionMnistDownloader.DefaultCacheDirectory());
    }
}
