using Generative.Tensors;

namespace Generative.Distributions;

/// <summary>
/// A labelled set of N points in the plane, stored as three parallel arrays of length N (column layout, the shape
/// plots want): point n is (<see cref="Xs"/>[n], <see cref="Ys"/>[n]) with class or mixture component
/// <see cref="Labels"/>[n].
/// </summary>
public sealed class Points2D
{
    /// <summary>Wraps the three arrays (not copied).</summary>
    /// <exception cref="ArgumentException">The arrays' lengths differ.</exception>
    public Points2D(double[] xs, double[] ys, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentNullException.ThrowIfNull(labels);
        if (xs.Length != ys.Length || xs.Length != labels.Length)
        {
            throw new ArgumentException($"xs, ys and labels must have the same length, got {xs.Length}, {ys.Length} and {labels.Length}.", nameof(labels));
        }
        Xs = xs;
        Ys = ys;
        Labels = labels;
    }

    /// <summary>First coordinates, length N.</summary>
    public double[] Xs { get; }

    /// <summary>Second coordinates, length N.</summary>
    public double[] Ys { get; }

    /// <summary>Class (or mixture component) of each point, length N.</summary>
    public int[] Labels { get; }

    /// <summary>
    /// <paramref name="count"/> points, point n being <paramref name="point"/>(n); called in order n = 0, 1, ...,
    /// so a sampler that draws from a generator inside <paramref name="point"/> stays reproducible.
    /// </summary>
    internal static Points2D Generate(int count, Func<int, (double X, double Y, int Label)> point)
    {
        var xs = new double[count];
        var ys = new double[count];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            (xs[n], ys[n], labels[n]) = point(n);
        }
        return new Points2D(xs, ys, labels);
    }

    /// <summary>The points as a float tensor of shape (N, 2), one (x, y) per row, for a network to train on.</summary>
    public Tensor ToTensor()
    {
        var data = new float[2 * Count];
        for (var n = 0; n < Count; n++)
        {
            (data[2 * n], data[2 * n + 1]) = ((float)Xs[n], (float)Ys[n]);
        }
        return Tensor.FromArray(data, Count, 2);
    }

    /// <summary>Points from the rows of a tensor of shape (N, 2) (a generator's samples), all labelled 0.</summary>
    /// <exception cref="ArgumentException">The tensor is not (N, 2).</exception>
    public static Points2D FromTensor(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Rank != 2 || points.Shape[1] != 2)
        {
            throw new ArgumentException($"Points2D.FromTensor: points must have shape (N, 2), got {Tensor.FormatShape(points.Shape)}.", nameof(points));
        }
        var data = points.ToArray();
        var count = points.Shape[0];
        return Generate(count, n => (data[2 * n], data[2 * n + 1], 0));
    }

    /// <summary>N, the number of points.</summary>
    public int Count => Xs.Length;

    /// <summary>The points with the given label, in their original order.</summary>
    public Points2D Where(int label)
    {
        var indices = Enumerable.Range(0, Count).Where(n => Labels[n] == label).ToArray();
        return new Points2D(
            indices.Select(n => Xs[n]).ToArray(),
            indices.Select(n => Ys[n]).ToArray(),
            indices.Select(n => Labels[n]).ToArray());
    }

    /// <summary>The points as rows [x, y], shape (N, 2), e.g. for <c>MultivariateNormal.Fit</c>.</summary>
    public double[][] ToRows() => Enumerable.Range(0, Count).Select(n => new[] { Xs[n], Ys[n] }).ToArray();

    /// <inheritdoc />
    public override string ToString()
    {
        var classes = Labels.Distinct().Order().Select(l => $"{l}: {Labels.Count(x => x == l)}");
        return $"Points2D({Count} points; per label {{{string.Join(", ", classes)}}})";
    }
}
