using TorchSharp;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>The GAN losses as PyTorch code writes them, <c>F.binary_cross_entropy_with_logits</c> with mean reduction.</summary>
internal static class AdversarialLossTwin
{
    /// <summary>BCE(real logits, 1) + BCE(fake logits, 0).</summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits) =>
        nn.functional.binary_cross_entropy_with_logits(realLogits, ones_like(realLogits))
        + nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits));

    /// <summary>The non-saturating generator loss BCE(fake logits, 1).</summary>
    public static Tensor NonSaturating(Tensor fakeLogits) =>
        nn.functional.binary_cross_entropy_with_logits(fakeLogits, ones_like(fakeLogits));

    /// <summary>mean |output − target| (<c>F.l1_loss</c>).</summary>
    public static Tensor MeanAbsoluteError(Tensor output, Tensor target) => nn.functional.l1_loss(output, target);

    /// <summary>One row per label with a 1 in its column, in <paramref name="dtype"/>: shape (labels, classes).</summary>
    public static Tensor OneHot(IReadOnlyList<int> labels, int classes, ScalarType dtype) =>
        nn.functional.one_hot(tensor(labels.Select(label => (long)label).ToArray()), classes).to_type(dtype);

    /// <summary>The one-hot labels as constant planes appended to images (N, C, 28, 28): plane c all ones for class c.</summary>
    public static Tensor WithLabelPlanes(Tensor images, IReadOnlyList<int> labels, int classes) =>
        cat([images, OneHot(labels, classes, images.dtype)[.., .., TensorIndex.None, TensorIndex.None].expand(-1, -1, 28, 28)], 1);

    /// <summary>Class indices as the int64 targets <c>F.cross_entropy</c> takes.</summary>
    public static Tensor Targets(IReadOnlyList<int> labels) => tensor(labels.Select(label => (long)label).ToArray());
}
