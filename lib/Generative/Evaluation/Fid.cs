using Generative.Tensors;

namespace Generative.Evaluation;

/// <summary>The mean and covariance of a set of feature vectors, in double precision.</summary>
/// <param name="Mean">Length F.</param>
/// <param name="Covariance">F x F, unbiased (divided by N − 1).</param>
/// <param name="Count">N, the number of vectors.</param>
public sealed record FeatureStatistics(double[] Mean, double[,] Covariance, int Count);

/// <summary>
/// The Fréchet distance between two sets of features (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update
/// Rule Converge to a Local Nash Equilibrium", https://arxiv.org/abs/1706.08500): the squared 2-Wasserstein distance
/// between the Gaussians with the sets' means and covariances,
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).
/// </summary>
/// <remarks><para>With features from a classifier's penultimate layer this is the FID (the original uses Inception-v3
/// on ImageNet; the course uses a Fashion-MNIST classifier, so its numbers are comparable only with each other). Lower
/// is better; 0 for identical statistics.</para>
/// <para>Statistics and the matrix square roots are computed in double precision by Jacobi rotations
/// (Tr (Σ₁ Σ₂)^{1/2} = Tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}, a symmetric matrix), so the distance does not depend on the
/// machine. The covariance of F features needs well over F samples to be estimated; FID falls as N grows, so compare
/// values computed from the same number of samples.</para></remarks>
public static class Fid
{
    /// <summary>The mean and unbiased covariance of the rows of <paramref name="features"/>.</summary>
    /// <param name="features">Shape (N, F), N ≥ 2.</param>
    /// <exception cref="ArgumentException">Not (N, F), fewer than two rows, or a non-finite value.</exception>
    public static FeatureStatistics Statistics(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Rank != 2 || features.Shape[0] < 2)
        {
            throw new ArgumentException(
                $"Fid.Statistics: features must have shape (N, F) with N ≥ 2, got {Tensor.FormatShape(features.Shape)}.", nameof(features));
        }
        var (count, width) = (features.Shape[0], features.Shape[1]);
        var values = features.ToArray();
        var mean = new double[width];
        for (var n = 0; n < count; n++)
        {
            for (var f = 0; f < width; f++)
            {
                var value = values[n * width + f];
                if (!float.IsFinite(value))
                {
                    throw new ArgumentException($"Fid.Statistics: feature {f} of row {n} is {value}; features must be finite.", nameof(features));
                }
                mean[f] += value;
            }
        }
        for (var f = 0; f < width; f++)
        {
            mean[f] /= count;
        }
        var covariance = new double[width, width];
        var centred = new double[width];
        for (var n = 0; n < count; n++)
        {
            for (var f = 0; f < width; f++)
            {
                centred[f] = values[n * width + f] - mean[f];
            }
            for (var i = 0; i < width; i++)
            {
                for (var j = i; j < width; j++)
                {
                    covariance[i, j] += centred[i] * centred[j];
                }
            }
        }
        for (var i = 0; i < width; i++)
        {
            for (var j = i; j < width; j++)
            {
                covariance[i, j] /= count - 1;
                covariance[j, i] = covariance[i, j];
            }
        }
        return new FeatureStatistics(mean, covariance, count);
    }

    /// <summary>The Fréchet distance between two feature statistics.</summary>
    /// <exception cref="ArgumentException">The statistics have different feature counts.</exception>
    public static double Distance(FeatureStatistics first, FeatureStatistics second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var width = first.Mean.Length;
        if (second.Mean.Length != width)
        {
            throw new ArgumentException($"Fid.Distance: the statistics have {width} and {second.Mean.Length} features.", nameof(second));
        }
        foreach (var (stats, name) in new[] { (first, nameof(first)), (second, nameof(second)) })
        {
            if (stats.Covariance.GetLength(0) != width || stats.Covariance.GetLength(1) != width)
            {
                throw new ArgumentException(
                    $"Fid.Distance: {name}'s covariance is {stats.Covariance.GetLength(0)} x {stats.Covariance.GetLength(1)}, not {width} x {width} like its mean.", name);
            }
        }
        double meanTerm = 0, traceTerm = 0;
        for (var f = 0; f < width; f++)
        {
            meanTerm += (first.Mean[f] - second.Mean[f]) * (first.Mean[f] - second.Mean[f]);
            traceTerm += first.Covariance[f, f] + second.Covariance[f, f];
        }
        var root = SymmetricMatrix.Sqrt(first.Covariance);
        var middle = SymmetricMatrix.Multiply(SymmetricMatrix.Multiply(root, second.Covariance), root);
        // Symmetrise away rounding before the eigen-solver checks symmetry.
        for (var i = 0; i < width; i++)
        {
            for (var j = i + 1; j < width; j++)
            {
                middle[i, j] = middle[j, i] = 0.5 * (middle[i, j] + middle[j, i]);
            }
        }
        var crossTrace = SymmetricMatrix.Eigen(middle).Values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        return meanTerm + traceTerm - 2 * crossTrace;
    }

    /// <summary>The Fréchet distance between the rows of two feature tensors (N₁, F) and (N₂, F).</summary>
    public static double Compute(Tensor first, Tensor second) => Distance(Statistics(first), Statistics(second));
}
