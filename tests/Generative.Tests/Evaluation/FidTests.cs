using System.Globalization;
using System.Runtime.InteropServices;
using Generative.Evaluation;
using Generative.Tensors;
using Generative.Tests.Tensors.Kernels;

namespace Generative.Tests.Evaluation;

public class FidTests
{
    private static Tensor Features(int count, int width, ulong seed, float scale = 1, float shift = 0) =>
        Tensor.Randn([count, width], new Generator(seed)) * scale + shift;

    [Fact]
    public void Compute_SameFeatures_IsZero()
    {
        var x = Features(200, 6, 1);

        Assert.Equal(0, Fid.Compute(x, x), 1e-9);
    }

    [Fact]
    public void Compute_SwappedArguments_IsSymmetric()
    {
        var (a, b) = (Features(300, 5, 1), Features(250, 5, 2, scale: 1.5f, shift: 0.3f));

        Assert.Equal(Fid.Compute(a, b), Fid.Compute(b, a), 1e-9);
    }

    [Fact]
    public void Compute_MoreNoise_GrowsTheDistance()
    {
        var real = Features(500, 8, 1);
        var noise = Features(500, 8, 2);
        var distances = new[] { 0.1f, 0.3f, 1f, 3f }.Select(s => Fid.Compute(real, real + noise * s)).ToArray();

        Assert.True(distances[0] > 0);
        for (var i = 1; i < distances.Length; i++)
        {
            Assert.True(distances[i] > distances[i - 1], $"noise step {i}: {distances[i]} is not above {distances[i - 1]}");
        }
    }

    [Fact]
    public void Distance_CommutingCovariances_MatchesTheClosedForm()
    {
        // Σ₁ = R diag(λ) Rᵀ and Σ₂ = R diag(κ) Rᵀ share eigenvectors: the distance is ‖Δμ‖² + Σ (√λ − √κ)².
        double[] lambda = [4, 1, 0.25], kappa = [1, 2, 0.5];
        var (c, s) = (Math.Cos(0.7), Math.Sin(0.7));
        double[,] rotation = { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1 } };
        double[,] Covariance(double[] eigenvalues)
        {
            var result = new double[3, 3];
            for (var i = 0; i < 3; i++)
                for (var j = 0; j < 3; j++)
                    for (var k = 0; k < 3; k++)
                        result[i, j] += rotation[i, k] * eigenvalues[k] * rotation[j, k];
            return result;
        }
        var first = new FeatureStatistics([1, 0, 2], Covariance(lambda), 100);
        var second = new FeatureStatistics([0, 0.5, 2], Covariance(kappa), 100);

        var expected = 1 + 0.25 + lambda.Zip(kappa, (l, k) => (Math.Sqrt(l) - Math.Sqrt(k)) * (Math.Sqrt(l) - Math.Sqrt(k))).Sum();
        Assert.Equal(expected, Fid.Distance(first, second), 1e-10);
    }

    [Fact]
    public void Distance_TwoByTwo_MatchesTheClosedForm()
    {
        // For 2 x 2 matrices Tr √M = √(Tr M + 2 √det M), with M = Σ₁^{1/2} Σ₂ Σ₁^{1/2}: Tr M = Tr Σ₁Σ₂, det M = det Σ₁ det Σ₂.
        double[,] a = { { 2, 0.6 }, { 0.6, 1 } }, b = { { 0.5, -0.2 }, { -0.2, 3 } };
        var traceProduct = a[0, 0] * b[0, 0] + a[0, 1] * b[1, 0] + a[1, 0] * b[0, 1] + a[1, 1] * b[1, 1];
        var determinants = (a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]) * (b[0, 0] * b[1, 1] - b[0, 1] * b[1, 0]);
        var expected = 0.5 * 0.5 + 3 + 3.5 - 2 * Math.Sqrt(traceProduct + 2 * Math.Sqrt(determinants));

        Assert.Equal(expected, Fid.Distance(new FeatureStatistics([0.5, 1], a, 10), new FeatureStatistics([0, 1], b, 10)), 1e-12);
    }

    [Fact]
    public void Statistics_SmallSet_MatchesHandComputedMeanAndCovariance()
    {
        var stats = Fid.Statistics(Tensor.FromArray([1f, 2f, 3f, 6f, 5f, 1f], 3, 2));

        Assert.Equal([3.0, 3.0], stats.Mean);
        // Deviations (−2, −1), (0, 3), (2, −2): squares 8 and 14, cross products 2 + 0 − 4; divided by N − 1 = 2.
        Assert.Equal(4.0, stats.Covariance[0, 0], 1e-12);
        Assert.Equal(7.0, stats.Covariance[1, 1], 1e-12);
        Assert.Equal(-1.0, stats.Covariance[0, 1], 1e-12);
        Assert.Equal(stats.Covariance[0, 1], stats.Covariance[1, 0]);
    }

    [Fact]
    public void Eigen_RandomSymmetricMatrix_Reconstructs()
    {
        var g = new Generator(3);
        var n = 12;
        var m = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
                m[i, j] = m[j, i] = g.Normal(0, 1);

        var (values, vectors) = SymmetricMatrix.Eigen(m);

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var rebuilt = Enumerable.Range(0, n).Sum(k => vectors[i, k] * values[k] * vectors[j, k]);
                Assert.Equal(m[i, j], rebuilt, 1e-12);
                var dot = Enumerable.Range(0, n).Sum(k => vectors[k, i] * vectors[k, j]);
                Assert.Equal(i == j ? 1 : 0, dot, 1e-12);
            }
        }
    }

    [Fact]
    public void BadInputs_AreNamed()
    {
        Assert.Contains("N ≥ 2", Assert.Throws<ArgumentException>(() => Fid.Statistics(Tensor.Zeros([1, 3]))).Message);
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => Fid.Statistics(Tensor.FromArray([0f, 1f, float.NaN, 2f], 2, 2))).Message);
        Assert.Contains("3 and 2 features", Assert.Throws<ArgumentException>(() => Fid.Compute(Features(4, 3, 1), Features(4, 2, 2))).Message);
        var twoByTwo = new FeatureStatistics([0, 0], new double[2, 2], 5);
        Assert.Contains("3 x 3, not 2 x 2", Assert.Throws<ArgumentException>(() => Fid.Distance(twoByTwo, new FeatureStatistics([0, 0], new double[3, 3], 5))).Message);
        Assert.Contains("not symmetric", Assert.Throws<ArgumentException>(() => SymmetricMatrix.Eigen(new double[,] { { 1, 2 }, { 0, 1 } })).Message);
    }

    /// <summary>Reads two float32 feature files and prints their FID in float64 (torch.linalg.eigh for the roots).</summary>
    private const string Script = """
        import sys, numpy as np, torch
        torch.set_default_dtype(torch.float64)
        def load(path, n, f):
            return torch.from_numpy(np.fromfile(path, dtype='<f4').reshape(n, f).astype(np.float64))
        def sqrtm(m):
            values, vectors = torch.linalg.eigh(m)
            return vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T
        a = load(sys.argv[1], int(sys.argv[3]), int(sys.argv[5]))
        b = load(sys.argv[2], int(sys.argv[4]), int(sys.argv[5]))
        ca, cb = torch.cov(a.T), torch.cov(b.T)
        ra = sqrtm(ca)
        middle = ra @ cb @ ra
        cross = torch.linalg.eigvalsh((middle + middle.T) / 2).clamp(min=0).sqrt().sum()
        fid = ((a.mean(0) - b.mean(0)) ** 2).sum() + ca.trace() + cb.trace() - 2 * cross
        print(repr(fid.item()))
        """;

    [TorchFact]
    public void Compute_RandomFeatures_AgreesWithPyTorchInFloat64()
    {
        var directory = Directory.CreateTempSubdirectory("fid-");
        try
        {
            var (a, b) = (Features(300, 16, 5), Features(200, 16, 6, scale: 1.3f, shift: 0.2f) + Features(200, 16, 7) * 0.5f);
            var (pathA, pathB) = (Path.Combine(directory.FullName, "a.f32"), Path.Combine(directory.FullName, "b.f32"));
            File.WriteAllBytes(pathA, MemoryMarshal.AsBytes(a.ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(pathB, MemoryMarshal.AsBytes(b.ToArray().AsSpan()).ToArray());
            var output = Path.Combine(directory.FullName, "out.txt");

            var (exitCode, error) = DebianPython.Run(Script + $"\nopen(r'{output}', 'w').write(repr(fid.item()))", pathA, pathB, "300", "200", "16");

            Assert.True(exitCode == 0, error);
            var reference = double.Parse(File.ReadAllText(output), CultureInfo.InvariantCulture);
            Assert.Equal(reference, Fid.Compute(a, b), Math.Abs(reference) * 1e-9);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
