using Generative.Distributions;

namespace Generative.Data;

/// <summary>
/// Small two-dimensional datasets for the lessons: mixtures that expose mode collapse (8 Gaussians on a ring,
/// 25 on a grid), two moons, and a two-class problem whose Bayes-optimal boundary is quadratic.
/// Every sampler takes a <see cref="Generator"/>, so the points are the same on every machine.
/// </summary>
public static class Toy2D
{
    /// <summary>
    /// Eight equally weighted Gaussians centred on a circle: mu_c = r (cos(2 pi c / 8), sin(2 pi c / 8)).
    /// Defaults follow the GAN literature's ring (radius 2, std 0.02), where a collapsed generator covers few modes.
    /// </summary>
    public static GaussianMixture2D Ring8(double radius = 2.0, double std = 0.02)
    {
        if (!(radius > 0) || double.IsInfinity(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be finite and positive.");
        }
        // The eight angles are multiples of pi/4, whose sines and cosines are 0, +-1 or +-sqrt(1/2); writing them
        // exactly (instead of calling Math.Cos) keeps the centres identical on every platform.
        var half = Math.Sqrt(0.5);
        (double X, double Y)[] unit = [(1, 0), (half, half), (0, 1), (-half, half), (-1, 0), (-half, -half), (0, -1), (half, -half)];
        return new GaussianMixture2D(unit.Select(u => (radius * u.X, radius * u.Y)).ToArray(), std);
    }

    /// <summary>
    /// Ten equally weighted Gaussians centred on a circle: mu_c = r (cos(2 pi c / 10), sin(2 pi c / 10)), the prior of
    /// lesson 09's adversarial autoencoder (Makhzani et al. use such a ring, a mode per class, for MNIST). Defaults:
    /// radius 4, std 0.5, which leaves neighbouring centres about five standard deviations apart.
    /// </summary>
    public static GaussianMixture2D Ring10(double radius = 4.0, double std = 0.5)
    {
        if (!(radius > 0) || double.IsInfinity(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be finite and positive.");
        }
        // Multiples of 36 degrees in closed form, cos 36 = (1 + sqrt 5) / 4, cos 72 = (sqrt 5 - 1) / 4, with their sines,
        // so the centres are the same on every platform (square roots are correctly rounded; Math.Cos need not be).
        var root5 = Math.Sqrt(5);
        var (cos36, cos72) = ((1 + root5) / 4, (root5 - 1) / 4);
        var (sin36, sin72) = (Math.Sqrt(10 - 2 * root5) / 4, Math.Sqrt(10 + 2 * root5) / 4);
        (double X, double Y)[] unit =
        [
            (1, 0), (cos36, sin36), (cos72, sin72), (-cos72, sin72), (-cos36, sin36),
            (-1, 0), (-cos36, -sin36), (-cos72, -sin72), (cos72, -sin72), (cos36, -sin36),
        ];
        return new GaussianMixture2D(unit.Select(u => (radius * u.X, radius * u.Y)).ToArray(), std);
    }

    /// <summary>
    /// Twenty-five equally weighted Gaussians on a 5 x 5 grid with centres at {-2, -1, 0, 1, 2} * spacing
    /// in each coordinate (component c = 5 row + column). Defaults: spacing 2, std 0.05.
    /// </summary>
    public static GaussianMixture2D Grid25(double spacing = 2.0, double std = 0.05)
    {
        if (!(spacing > 0) || double.IsInfinity(spacing))
        {
            throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "The spacing must be finite and positive.");
        }
        var means = new List<(double X, double Y)>();
        for (var row = -2; row <= 2; row++)
        {
            for (var column = -2; column <= 2; column++)
            {
                means.Add((column * spacing, row * spacing));
            }
        }
        return new GaussianMixture2D(means, std);
    }

    /// <summary>
    /// Two interleaved half circles: label 0 on (cos t, sin t), label 1 on (1 - cos t, 1/2 - sin t), t uniform in
    /// [0, pi], plus N(0, noise^2) on each coordinate. Labels alternate so the classes are balanced
    /// (count / 2 each, the extra point going to label 0).
    /// </summary>
    public static Points2D TwoMoons(int count, Generator generator, double noise = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(noise >= 0) || double.IsInfinity(noise))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise must be finite and >= 0.");
        }
        return Points2D.Generate(count, n =>
        {
            var label = n % 2;
            var t = Math.PI * generator.NextDouble();
            // Not Math.Cos/Sin: they may differ by an ulp between platforms, and a lesson that trains on these
            // points would amplify that into different stored outputs.
            var (sin, cos) = DeterministicMath.SinCos(t);
            var (x, y) = label == 0 ? (cos, sin) : (1 - cos, 0.5 - sin);
            var noisyX = x + generator.Normal(0, noise);
            var noisyY = y + generator.Normal(0, noise);
            return (noisyX, noisyY, label);
        });
    }

    /// <summary>
    /// The class-conditional densities of <see cref="TwoGaussianClasses"/>: class 0 ~ N((-1, 0), [[1, 0.6], [0.6, 1]]),
    /// class 1 ~ N((1.5, 0.5), [[0.3, 0], [0, 2]]). Their covariances differ, so the Bayes-optimal boundary
    /// log p(x | 1) p(1) = log p(x | 0) p(0) is a quadratic curve, not a line.
    /// </summary>
    public static (MultivariateNormal Class0, MultivariateNormal Class1) TwoGaussianClassDensities() =>
    (
        new MultivariateNormal([-1.0, 0.0], new[,] { { 1.0, 0.6 }, { 0.6, 1.0 } }),
        new MultivariateNormal([1.5, 0.5], new[,] { { 0.3, 0.0 }, { 0.0, 2.0 } })
    );

    /// <summary>
    /// A two-class problem for the generative-vs-discriminative classifier of lesson 01: each point's label is
    /// 1 with probability <paramref name="class1Prior"/>, then the point is drawn from that class's Gaussian
    /// (<see cref="TwoGaussianClassDensities"/>).
    /// </summary>
    public static Points2D TwoGaussianClasses(int count, Generator generator, double class1Prior = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(class1Prior > 0 && class1Prior < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(class1Prior), class1Prior, "The class-1 prior must lie strictly between 0 and 1.");
        }
        var (class0, class1) = TwoGaussianClassDensities();
        return Points2D.Generate(count, _ =>
        {
            var label = generator.Bernoulli(class1Prior) ? 1 : 0;
            var point = (label == 1 ? class1 : class0).Sample(generator);
            return (point[0], point[1], label);
        });
    }
}
