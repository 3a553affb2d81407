namespace Generative.Data;

/// <summary>Where <see cref="FashionMnist.Load"/> gets its files.</summary>
public enum DatasetSource
{
    /// <summary><see cref="System"/> when the Debian package is installed, otherwise <see cref="Download"/>.</summary>
    Auto,

    /// <summary>The subset shipped in the repository's datasets/ folder (no network, same everywhere).</summary>
    Embedded,

    /// <summary>The full dataset from the Debian/Ubuntu package <c>dataset-fashion-mnist</c>
    /// (/usr/share/datasets/fashion-mnist).</summary>
    System,

    /// <summary>The full dataset from the official site, cached in the user's cache folder after a SHA-256 check.</summary>
    Download,
}
