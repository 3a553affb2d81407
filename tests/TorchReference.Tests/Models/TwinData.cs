using Generative.Data;
using Generative.Tensors;

namespace TorchReference.Tests.Models;

/// <summary>The batches the twins are compared on: the first images of the embedded Fashion-MNIST test split, through
/// the library's loader.</summary>
internal static class TwinData
{
    private static readonly Lazy<ImageDataset> Test = new(() => FashionMnist.LoadEmbedded(DatasetSplit.Test));

    /// <summary>Binarized images as rows (count, 784) of 0 and 1, from image <paramref name="skip"/> on.</summary>
    public static Tensor Binary(int count, int skip = 0) => Test.Value.Binarize().Take(skip + count).ToTensor(1f).Narrow(0, skip, count);

    /// <summary>Images (count, 1, 28, 28) in [−1, 1], from image <paramref name="skip"/> on.</summary>
    public static Tensor Signed(int count, int skip = 0) => (Test.Value.Take(skip + count).ToTensor().Narrow(0, skip, count) * 2f - 1f).Reshape(count, 1, 28, 28);

    /// <summary>The class labels of the same images.</summary>
    public static int[] Labels(int count, int skip = 0) => [.. Test.Value.Labels.Skip(skip).Take(count).Select(label => (int)label)];
}
