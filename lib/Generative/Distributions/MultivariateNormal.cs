namespace Generative.Distributions;

/// <summary>
/// The d-dimensional Gaussian N(mu, Sigma):
/// log p(x) = -(1/2) (x - mu)^T Sigma^-1 (x - mu) - (1/2) log det Sigma - (d/2) log(2 pi).
/// d + d(d+1)/2 free parameters with a full covariance, 2d with a diagonal one.
/// </summary>
/// <remarks>
/// Evaluated through the Cholesky factor Sigma = L L^T: with L v = x - mu, the quadratic form is |v|^2 and
/// log det Sigma = 2 sum_i log L_ii; samples are mu + L z with z standard normal. Lesson 01 fits one per class
/// to get a generative classifier whose decision boundary is quadratic.
/// </remarks>
public sealed class MultivariateNormal
{
    private readonly double[] _mean;
    private readonly double[,] _covariance;
    private readonly double[,] _choleskyLower;
    private readonly double _logNormalizer; // (1/2) log det Sigma + (d/2) log(2 pi)

    /// <summary>Creates N(<paramref name="mean"/>, <paramref name="covariance"/>).</summary>
    /// <param name="mean">mu, length d.</param>
    /// <param name="covariance">Sigma, shape (d, d), symmetric positive definite.</param>
    /// <exception cref="ArgumentException">Shapes disagree, an entry is not finite, or Sigma is not symmetric
    /// positive definite.</exception>
    public MultivariateNormal(IReadOnlyList<double> mean, double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        var d = mean.Count;
        if (d == 0)
        {
            throw new ArgumentException("The mean must have at least one entry.", nameof(mean));
        }
        if (covariance.GetLength(0) != d || covariance.GetLength(1) != d)
        {
            throw new ArgumentException($"The covariance has shape ({covariance.GetLength(0)}, {covariance.GetLength(1)}) but the mean has length {d}; it must be ({d}, {d}).", nameof(covariance));
        }
        _mean = mean.ToArray();
        if (_mean.Any(m => !double.IsFinite(m)))
        {
            throw new ArgumentException("Every entry of the mean must be finite.", nameof(mean));
        }
        _covariance = (double[,])covariance.Clone();
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var a = _covariance[i, j];
                var b = _covariance[j, i];
                if (!double.IsFinite(a))
                {
                    throw new ArgumentException($"Covariance [{i}, {j}] is {a}; entries must be finite.", nameof(covariance));
                }
                if (Math.Abs(a - b) > 1e-12 * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b))))
                {
                    throw new ArgumentException($"The covariance is not symmetric: [{i}, {j}] = {a} but [{j}, {i}] = {b}.", nameof(covariance));
                }
            }
        }
        _choleskyLower = Cholesky(_covariance);
        var halfLogDet = 0.0;
        for (var i = 0; i < d; i++)
        {
            halfLogDet += Math.Log(_choleskyLower[i, i]);
        }
        _logNormalizer = halfLogDet + 0.5 * d * Math.Log(2 * Math.PI);
    }

    /// <summary>The dimension d.</summary>
    public int Dimension => _mean.Length;

    /// <summary>mu, a copy of length d.</summary>
    public double[] Mean => (double[])_mean.Clone();

    /// <summary>Sigma, a copy of shape (d, d).</summary>
    public double[,] Covariance => (double[,])_covariance.Clone();

    /// <summary>H = (1/2) log det(2 pi e Sigma) in nats.</summary>
    public double Entropy => _logNormalizer + 0.5 * Dimension;

    /// <summary>log p(x) in nats for x of length d.</summary>
    /// <exception cref="ArgumentException">x has the wrong length.</exception>
    public double LogProb(ReadOnlySpan<double> x)
    {
        if (x.Length != Dimension)
        {
            throw new ArgumentException($"Expected a point of dimension {Dimension}, got {x.Length}.", nameof(x));
        }
        // Forward substitution solves L v = x - mu; then (x - mu)^T Sigma^-1 (x - mu) = v^T v.
        Span<double> v = Dimension <= 64 ? stackalloc double[Dimension] : new double[Dimension];
        var squaredNorm = 0.0;
        for (var i = 0; i < Dimension; i++)
        {
            var residual = x[i] - _mean[i];
            for (var j = 0; j < i; j++)
            {
                residual -= _choleskyLower[i, j] * v[j];
            }
            v[i] = residual / _choleskyLower[i, i];
            squaredNorm += v[i] * v[i];
        }
        return -0.5 * squaredNorm - _logNormalizer;
    }

    /// <summary>log p(x, y) in nats for a two-dimensional Gaussian (handy for contour plots).</summary>
    /// <exception cref="InvalidOperationException">The dimension is not 2.</exception>
    public double LogProb(double x, double y)
    {
        if (Dimension != 2)
        {
            throw new InvalidOperationException($"LogProb(x, y) needs a 2-dimensional Gaussian; this one has dimension {Dimension}.");
        }
        return LogProb([x, y]);
    }

    /// <summary>One draw mu + L z, z ~ N(0, I), as an array of length d.</summary>
    public double[] Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var d = Dimension;
        var z = new double[d];
        for (var i = 0; i < d; i++)
        {
            z[i] = generator.Normal();
        }
        var sample = new double[d];
        for (var i = 0; i < d; i++)
        {
            var value = _mean[i];
            for (var j = 0; j <= i; j++)
            {
                value += _choleskyLower[i, j] * z[j];
            }
            sample[i] = value;
        }
        return sample;
    }

    /// <summary><paramref name="count"/> independent draws, each of length d.</summary>
    public double[][] Sample(int count, Generator generator) => Draws.Repeat(count, () => Sample(generator));

    /// <summary>
    /// Maximum-likelihood fit: mu = (1/N) sum x_n, Sigma = (1/N) sum (x_n - mu)(x_n - mu)^T (biased, divided by N).
    /// With <paramref name="diagonal"/> the off-diagonal entries are fixed at 0 (independent coordinates, the
    /// "naive Bayes" Gaussian), which is also the MLE within that family.
    /// </summary>
    /// <exception cref="ArgumentException">No points, lengths differ, a value is not finite, or the fitted
    /// covariance is singular (e.g. fewer than d + 1 distinct points).</exception>
    public static MultivariateNormal Fit(IReadOnlyList<double[]> points, bool diagonal = false)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("Cannot fit a Gaussian to no points.", nameof(points));
        }
        var d = points[0].Length;
        var mean = new double[d];
        for (var n = 0; n < points.Count; n++)
        {
            var point = points[n];
            if (point.Length != d)
            {
                throw new ArgumentException($"Point [{n}] has dimension {point.Length}, but point [0] has {d}.", nameof(points));
            }
            for (var i = 0; i < d; i++)
            {
                if (!double.IsFinite(point[i]))
                {
                    throw new ArgumentException($"Point [{n}] has value {point[i]} at [{i}]; values must be finite.", nameof(points));
                }
                mean[i] += point[i];
            }
        }
        for (var i = 0; i < d; i++)
        {
            mean[i] /= points.Count;
        }
        var covariance = new double[d, d];
        foreach (var point in points)
        {
            for (var i = 0; i < d; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    if (diagonal && i != j)
                    {
                        continue;
                    }
                    covariance[i, j] += (point[i] - mean[i]) * (point[j] - mean[j]);
                }
            }
        }
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                covariance[i, j] /= points.Count;
            }
        }
        try
        {
            return new MultivariateNormal(mean, covariance);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The fitted covariance is unusable: {e.Message}", nameof(points), e);
        }
    }

    /// <summary>Fit to two-dimensional points given as separate coordinate lists (e.g. <c>Points2D.Xs, Ys</c>).</summary>
    public static MultivariateNormal Fit(IReadOnlyList<double> xs, IReadOnlyList<double> ys, bool diagonal = false)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Count != ys.Count)
        {
            throw new ArgumentException($"xs has {xs.Count} values but ys has {ys.Count}.", nameof(ys));
        }
        var points = new double[xs.Count][];
        for (var n = 0; n < points.Length; n++)
        {
            points[n] = [xs[n], ys[n]];
        }
        return Fit(points, diagonal);
    }

    /// <inheritdoc />
    public override string ToString() => $"MultivariateNormal(dimension: {Dimension})";

    /// <summary>The lower-triangular L with L L^T = <paramref name="matrix"/> (Cholesky-Banachiewicz).</summary>
    /// <exception cref="ArgumentException">The matrix is not positive definite.</exception>
    internal static double[,] Cholesky(double[,] matrix)
    {
        var d = matrix.GetLength(0);
        var lower = new double[d, d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = matrix[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= lower[i, k] * lower[j, k];
                }
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        throw new ArgumentException($"The covariance is not positive definite (pivot {i} is {sum}).", "covariance");
                    }
                    lower[i, i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[i, j] = sum / lower[j, j];
                }
            }
        }
        return lower;
    }
}
