namespace Generative.Data;

/// <summary>
/// One of the four official Fashion-MNIST files and the checksums that identify it.
/// </summary>
/// <param name="Name">The file name, e.g. <c>train-images-idx3-ubyte.gz</c>.</param>
/// <param name="GzipSha256">SHA-256 of the official .gz as served at
/// http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/ (values as listed in TensorFlow Datasets'
/// <c>tensorflow_datasets/url_checksums/fashion_mnist.txt</c>; confirmed independently, see datasets/README.md).</param>
/// <param name="ContentSha256">SHA-256 of the decompressed IDX file. Repackaged copies (the Debian package
/// recompresses nothing but rewrites the gzip header) have other .gz hashes but this same content hash.</param>
internal sealed record FashionMnistFile(string Name, string GzipSha256, string ContentSha256)
{
    public static readonly FashionMnistFile TrainImages = new(
        "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");

    public static readonly FashionMnistFile TrainLabels = new(
        "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9");

    public static readonly FashionMnistFile TestImages = new(
        "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b");

    public static readonly FashionMnistFile TestLabels = new(
        "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /// <summary>All four files, training before test, images before labels.</summary>
    public static IReadOnlyList<FashionMnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The images and labels files of <paramref name="split"/>.</summary>
    public static (FashionMnistFile Images, FashionMnistFile Labels) For(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => (TrainImages, TrainLabels),
        DatasetSplit.Test => (TestImages, TestLabels),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };
}
