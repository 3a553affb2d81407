namespace Generative.Data;

/// <summary>
/// An n-dimensional array of unsigned bytes as stored in an IDX file: <see cref="Dimensions"/> (e.g. [N, 28, 28]
/// for images, [N] for labels) and the values in row-major order, <see cref="Data"/>.Length = product of dimensions.
/// </summary>
public sealed record IdxArray
{
    /// <summary>Wraps <paramref name="dimensions"/> and <paramref name="data"/> after checking they agree.</summary>
    /// <exception cref="ArgumentException">No dimensions, a negative dimension, or a data length that is not their product.</exception>
    public IdxArray(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length is 0 or > 255)
        {
            throw new ArgumentException($"An IDX array has 1 to 255 dimensions, got {dimensions.Length}.", nameof(dimensions));
        }
        long product = 1;
        foreach (var d in dimensions)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Dimensions must be non-negative, got [{string.Join(", ", dimensions)}].", nameof(dimensions));
            }
            product *= d;
        }
        if (product != data.Length)
        {
            throw new ArgumentException($"Dimensions [{string.Join(", ", dimensions)}] need {product} values, got {data.Length}.", nameof(data));
        }
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public int[] Dimensions { get; }

    /// <summary>The values in row-major order.</summary>
    public byte[] Data { get; }

    /// <inheritdoc />
    public override string ToString() => $"IdxArray([{string.Join(", ", Dimensions)}])";
}
