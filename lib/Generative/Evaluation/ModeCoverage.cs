using Generative.Distributions;

namespace Generative.Evaluation;

/// <summary>How well samples cover the modes of a mixture of Gaussians in the plane (<see cref="ModeCoverage"/>).</summary>
/// <param name="ModesCovered">Modes that received at least the required number of high-quality samples.</param>
/// <param name="ModeCount">The mixture's number of components.</param>
/// <param name="HighQualityShare">The share of samples within the radius of their nearest centre.</param>
/// <param name="KlToUniform">KL(histogram ‖ uniform) in nats of the high-quality samples over the modes: 0 when every
/// mode receives as many, log(ModeCount) when all fall in one; NaN when no sample is high quality.</param>
/// <param name="HighQualityCounts">High-quality samples per mode, in the mixture's component order.</param>
public sealed record ModeCoverageReport(int ModesCovered, int ModeCount, double HighQualityShare, double KlToUniform,
    IReadOnlyList<int> HighQualityCounts);

/// <summary>
/// The mode-collapse measure of the GAN literature's 2-D toys (the 8-Gaussian ring and the 25-Gaussian grid; VEEGAN,
/// Srivastava et al. 2017; PacGAN, Lin et al. 2018): each sample is assigned to its nearest mode centre and counts as
/// high quality when it lies within a few standard deviations (3 by default) of it; a mode is covered when it receives
/// high-quality samples; the histogram of the high-quality samples over the modes is compared with the uniform one.
/// The literature draws 2,500 samples.
/// </summary>
public static class ModeCoverage
{
    /// <summary>Measures <paramref name="samples"/> against the modes of <paramref name="target"/>.</summary>
    /// <param name="target">The mixture the samples should come from; its centres and its common standard deviation.</param>
    /// <param name="samples">The generated points (labels are ignored).</param>
    /// <param name="radiusInStds">How many standard deviations from its nearest centre a high-quality sample may lie.</param>
    /// <param name="minimumSamples">How many high-quality samples cover a mode.</param>
    /// <exception cref="ArgumentException">No samples, a non-finite sample, or a radius or minimum that is not positive.</exception>
    public static ModeCoverageReport Measure(GaussianMixture2D target, Points2D samples, double radiusInStds = 3, int minimumSamples = 1)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(samples);
        if (!(radiusInStds > 0) || double.IsInfinity(radiusInStds))
        {
            throw new ArgumentOutOfRangeException(nameof(radiusInStds), radiusInStds, "The radius must be finite and positive.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumSamples, 1);
        if (samples.Count == 0)
        {
            throw new ArgumentException("Mode coverage needs at least one sample.", nameof(samples));
        }
        var means = target.Means;
        var counts = new int[means.Length];
        var radiusSquared = radiusInStds * radiusInStds * target.Std * target.Std;
        var highQuality = 0;
        for (var n = 0; n < samples.Count; n++)
        {
            var (x, y) = (samples.Xs[n], samples.Ys[n]);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                throw new ArgumentException($"Sample {n} is ({x}, {y}); every sample must be finite.", nameof(samples));
            }
            var (nearest, nearestSquared) = (0, double.PositiveInfinity);
            for (var c = 0; c < means.Length; c++)
            {
                var squared = (x - means[c].X) * (x - means[c].X) + (y - means[c].Y) * (y - means[c].Y);
                if (squared < nearestSquared)
                {
                    (nearest, nearestSquared) = (c, squared);
                }
            }
            if (nearestSquared <= radiusSquared)
            {
                counts[nearest]++;
                highQuality++;
            }
        }
        var kl = double.NaN;
        if (highQuality > 0)
        {
            kl = 0;
            foreach (var count in counts.Where(c => c > 0))
            {
                var share = (double)count / highQuality;
                kl += share * Math.Log(share * means.Length);
            }
        }
        return new ModeCoverageReport(counts.Count(c => c >= minimumSamples), means.Length, (double)highQuality / samples.Count, kl, counts);
    }
}
