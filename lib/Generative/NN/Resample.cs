using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// Halving and doubling the resolution of feature maps (N, C, H, W), as Progressive GAN's growing networks do:
/// nearest-neighbour upsampling (PyTorch's <c>interpolate(scale_factor=2, mode="nearest")</c>) and 2 x 2 average
/// pooling (<c>avg_pool2d(x, 2)</c>), composed from views, so autograd comes for free.
/// </summary>
/// <remarks>Each is the other's inverse in one direction: <c>AveragePool2x(Upsample2x(x)) = x</c>, while
/// <c>Upsample2x(AveragePool2x(x))</c> replaces every 2 x 2 block by its mean.</remarks>
public static class Resample
{
    /// <summary>Every pixel repeated into a 2 x 2 block: (N, C, H, W) to (N, C, 2H, 2W).</summary>
    public static Tensor Upsample2x(Tensor maps)
    {
        var (n, c, h, w) = Shape(maps, nameof(Upsample2x));
        return maps.Reshape(n, c, h, 1, w, 1).Expand(n, c, h, 2, w, 2).Reshape(n, c, 2 * h, 2 * w);
    }

    /// <summary>The mean of every 2 x 2 block: (N, C, H, W) to (N, C, H/2, W/2); H and W must be even.</summary>
    public static Tensor AveragePool2x(Tensor maps)
    {
        var (n, c, h, w) = Shape(maps, nameof(AveragePool2x));
        if (h % 2 != 0 || w % 2 != 0)
        {
            throw new ArgumentException($"Resample.AveragePool2x: a {h} x {w} map has no whole 2 x 2 blocks; both sides must be even.", nameof(maps));
        }
        return maps.Reshape(n, c, h / 2, 2, w / 2, 2).Mean([3, 5]);
    }

    private static (int N, int C, int H, int W) Shape(Tensor maps, string operation)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Rank != 4)
        {
            throw new ArgumentException($"Resample.{operation}: expected feature maps (N, C, H, W), got shape ({string.Join(", ", maps.Shape)}).", nameof(maps));
        }
        return (maps.Size(0), maps.Size(1), maps.Size(2), maps.Size(3));
    }
}
