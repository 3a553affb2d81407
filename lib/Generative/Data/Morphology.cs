using Generative.Tensors;

namespace Generative.Data;

/// <summary>Grey-level dilation and erosion of square images with a 3 x 3 square: the thickening and thinning of lesson
/// 12's StarGAN domains, whose true translation is known exactly.</summary>
public static class Morphology
{
    /// <summary>Each pixel becomes the maximum of its 3 x 3 neighbourhood (the image's own pixels only): bright shapes grow
    /// by one pixel on every side.</summary>
    /// <param name="rows">Square images, one per row: shape (N, S·S).</param>
    /// <param name="times">How many times to apply it (0 returns a copy).</param>
    /// <returns>A new tensor (N, S·S), not recorded for autograd.</returns>
    /// <exception cref="ArgumentException">The rows are not square images.</exception>
    public static Tensor Dilate(Tensor rows, int times = 1) => Apply(rows, times, MathF.Max, nameof(Dilate));

    /// <summary>Each pixel becomes the minimum of its 3 x 3 neighbourhood: bright shapes shrink by one pixel on every side
    /// and parts thinner than three pixels vanish.</summary>
    /// <inheritdoc cref="Dilate"/>
    public static Tensor Erode(Tensor rows, int times = 1) => Apply(rows, times, MathF.Min, nameof(Erode));

    /// <summary>Thickens image n by <c>steps[n]</c> dilations when positive, thins it by as many erosions when negative.</summary>
    /// <param name="rows">Square images, one per row: shape (N, S·S).</param>
    /// <param name="steps">One count per image.</param>
    /// <returns>A new tensor (N, S·S).</returns>
    /// <exception cref="ArgumentException">The rows are not square images, or the counts do not match them.</exception>
    public static Tensor Thicken(Tensor rows, IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(steps);
        if (rows.Rank != 2 || steps.Count != rows.Size(0))
        {
            throw new ArgumentException($"Morphology.Thicken: {steps.Count} step counts for images {Tensor.FormatShape(rows.Shape)}; give one per image.", nameof(steps));
        }
        var images = Enumerable.Range(0, rows.Size(0)).Select(n =>
        {
            var image = rows.Narrow(0, n, 1);
            return steps[n] >= 0 ? Dilate(image, steps[n]) : Erode(image, -steps[n]);
        });
        return Tensor.Cat([.. images], 0);
    }

    private static Tensor Apply(Tensor rows, int times, Func<float, float, float> pick, string operation)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        var side = rows.Rank == 2 ? (int)Math.Round(Math.Sqrt(rows.Size(1))) : 0;
        if (rows.Rank != 2 || side * side != rows.Size(1))
        {
            throw new ArgumentException($"Morphology.{operation}: images must be rows (N, S·S) of square images, got {Tensor.FormatShape(rows.Shape)}.", nameof(rows));
        }
        var values = rows.ToArray();
        var next = new float[values.Length];
        var pixels = side * side;
        for (var pass = 0; pass < times; pass++)
        {
            for (var n = 0; n < rows.Size(0); n++)
            {
                var image = n * pixels;
                for (var y = 0; y < side; y++)
                {
                    for (var x = 0; x < side; x++)
                    {
                        var best = values[image + y * side + x];
                        for (var dy = Math.Max(y - 1, 0); dy <= Math.Min(y + 1, side - 1); dy++)
                        {
                            for (var dx = Math.Max(x - 1, 0); dx <= Math.Min(x + 1, side - 1); dx++)
                            {
                                best = pick(best, values[image + dy * side + dx]);
                            }
                        }
                        next[image + y * side + x] = best;
                    }
                }
            }
            (values, next) = (next, values);
        }
        return Tensor.FromArray(values, rows.Shape);
    }
}
