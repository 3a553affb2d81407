using Generative.Tensors;

namespace Generative.Data;

/// <summary>Quarter turns of square images: lesson 12's StarGAN domains, whose true translation is known exactly.</summary>
public static class Rotations
{
    /// <summary>Turns each image counter-clockwise by its number of quarter turns (90° each).</summary>
    /// <param name="rows">Square images, one per row: shape (N, S·S).</param>
    /// <param name="quarterTurns">One count per image; any integer (taken modulo 4, so −1 turns clockwise).</param>
    /// <returns>A new tensor (N, S·S), not recorded for autograd.</returns>
    /// <exception cref="ArgumentException">The rows are not square images, or the counts do not match them.</exception>
    public static Tensor Rotate(Tensor rows, IReadOnlyList<int> quarterTurns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(quarterTurns);
        var side = rows.Rank == 2 ? (int)Math.Round(Math.Sqrt(rows.Size(1))) : 0;
        if (rows.Rank != 2 || side * side != rows.Size(1))
        {
            throw new ArgumentException($"Rotations: images must be rows (N, S·S) of square images, got {Tensor.FormatShape(rows.Shape)}.", nameof(rows));
        }
        var count = rows.Size(0);
        if (quarterTurns.Count != count)
        {
            throw new ArgumentException($"Rotations: {quarterTurns.Count} quarter-turn counts for {count} images; give one per image.", nameof(quarterTurns));
        }
        var source = rows.ToArray();
        var rotated = new float[source.Length];
        var pixels = side * side;
        for (var n = 0; n < count; n++)
        {
            var turns = ((quarterTurns[n] % 4) + 4) % 4;
            for (var y = 0; y < side; y++)
            {
                for (var x = 0; x < side; x++)
                {
                    // Where pixel (y, x) lands after the turns: one counter-clockwise turn sends (y, x) to (S−1−x, y).
                    var (ty, tx) = turns switch
                    {
                        0 => (y, x),
                        1 => (side - 1 - x, y),
                        2 => (side - 1 - y, side - 1 - x),
                        _ => (x, side - 1 - y),
                    };
                    rotated[n * pixels + ty * side + tx] = source[n * pixels + y * side + x];
                }
            }
        }
        return Tensor.FromArray(rotated, count, pixels);
    }
}
