using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>RNADE against an independent double-precision reference of its definition, as a density (it integrates to
/// one), through its gradients, and through its sampler (draws follow the density; a seed fixes them).</summary>
public class RnadeTests
{
    /// <summary>Float evaluation of sums over a handful of hidden units and components, compared with double:
    /// relative error of a few float ulps per term, ample at 1e-4.</summary>
    private const double FloatAgainstDouble = 1e-4;

    private static Tensor Points(int count, int dimensions, ulong seed) =>
        Tensor.Randn([count, dimensions], new Generator(seed)).Mul(1.5f);

    /// <summary>log p(x) from the definition, in double: h_d = σ(c + Σ_{j&lt;d} W[:, j] x_{o_j}), then a mixture of K
    /// Gaussians per conditional with softmax weights, means and exp(log-std) from h_d.</summary>
    private static double ReferenceLogProb(Rnade model, float[] x)
    {
        int dims = model.Dimensions, hidden = model.HiddenUnits, components = model.Components;
        var w = model.Weight.ToArray();
        var c = model.HiddenBias.ToArray();
        var (vPi, bPi) = (model.MixingWeight.ToArray(), model.MixingBias.ToArray());
        var (vMu, bMu) = (model.MeanWeight.ToArray(), model.MeanBias.ToArray());
        var (vSigma, bSigma) = (model.LogStdWeight.ToArray(), model.LogStdBias.ToArray());
        double total = 0;
        for (var d = 0; d < dims; d++)
        {
            var h = new double[hidden];
            for (var k = 0; k < hidden; k++)
            {
                double a = c[k];
                for (var j = 0; j < d; j++)
                {
                    a += (double)w[k * dims + j] * x[model.Ordering[j]];
                }
                h[k] = 1 / (1 + Math.Exp(-a));
            }
            double Output(float[] weight, float[] bias, int component)
            {
                double value = bias[d * components + component];
                for (var k = 0; k < hidden; k++)
                {
                    value += weight[(d * components + component) * hidden + k] * h[k];
                }
                return value;
            }
            var logits = Enumerable.Range(0, components).Select(m => Output(vPi, bPi, m)).ToArray();
            var logNormaliser = Math.Log(logits.Sum(Math.Exp));
            double density = 0;
            for (var m = 0; m < components; m++)
            {
                var sigma = Math.Exp(Output(vSigma, bSigma, m));
                var z = (x[model.Ordering[d]] - Output(vMu, bMu, m)) / sigma;
                density += Math.Exp(logits[m] - logNormaliser) * Math.Exp(-0.5 * z * z) / (sigma * Math.Sqrt(2 * Math.PI));
            }
            total += Math.Log(density);
        }
        return total;
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2 })]
    [InlineData(new[] { 2, 0, 1 })]
    public void LogProb_MatchesTheDefinitionInDoublePrecision(int[] ordering)
    {
        var model = new Rnade(3, hiddenUnits: 5, components: 4, ordering, new Generator(1));
        var x = Points(6, 3, 2);

        var logProbs = model.LogProb(x).ToArray();

        for (var n = 0; n < 6; n++)
        {
            var expected = ReferenceLogProb(model, x.Select(0, n).ToArray());
            Assert.True(Math.Abs(logProbs[n] - expected) <= FloatAgainstDouble * (1 + Math.Abs(expected)),
                $"example {n}: model {logProbs[n]}, definition {expected}");
        }
    }

    [Fact]
    public void LogProb_ReversedOrdering_IsTheNaturalOrderingOnSwappedColumns()
    {
        // The ordering does not change the initial weights, only which column each conditional reads.
        var reversed = new Rnade(2, 6, 3, [1, 0], new Generator(3));
        var natural = new Rnade(2, 6, 3, null, new Generator(3));
        var x = Points(5, 2, 4);

        Assert.Equal(natural.LogProb(x.IndexSelect(1, 1, 0)).ToArray(), reversed.LogProb(x).ToArray());
    }

    /// <summary>The midpoint rule over [−12, 12]², step 0.04: calls <paramref name="visit"/>(x1, x2, mass) for every
    /// cell, mass = p(x) × area. The test models' standard deviations start near 1 and their means within a few units of
    /// 0, so the mass outside the square and the rule's error are far below the tests' tolerances.</summary>
    private static void ForEachGridCell(Rnade model, Action<double, double, double> visit)
    {
        const double low = -12, step = 0.04;
        const int cells = 600;
        var row = new float[cells * 2];
        using (Tensor.NoGrad())
        {
            for (var i = 0; i < cells; i++)
            {
                for (var j = 0; j < cells; j++)
                {
                    row[2 * j] = (float)(low + (i + 0.5) * step);
                    row[2 * j + 1] = (float)(low + (j + 0.5) * step);
                }
                var logProbs = model.LogProb(Tensor.FromArray(row, cells, 2)).ToArray();
                for (var j = 0; j < cells; j++)
                {
                    visit(row[2 * j], row[2 * j + 1], Math.Exp(logProbs[j]) * step * step);
                }
            }
        }
    }

    [Fact]
    public void Density_In2D_IntegratesToOne()
    {
        var model = new Rnade(2, hiddenUnits: 8, components: 3, generator: new Generator(5));
        var total = 0.0;

        ForEachGridCell(model, (_, _, mass) => total += mass);

        Assert.Equal(1.0, total, 1e-3);
    }

    [Fact]
    public void Loss_Gradient_MatchesFiniteDifferences()
    {
        var model = new Rnade(3, hiddenUnits: 4, components: 2, [1, 2, 0], new Generator(6));
        var x = Points(5, 3, 7);
        // Central differences in float: rounding of order 1e-7 / h plus an O(h²) truncation term.
        ParameterGradients.AssertMatchFiniteDifferences(model, () => model.Loss(x), entriesPerParameter: 8,
            absoluteTolerance: 2e-3, relativeTolerance: 2e-2);
    }

    [Fact]
    public void Sample_MomentsMatchTheDensityOnAGrid()
    {
        var model = new Rnade(2, hiddenUnits: 6, components: 3, [1, 0], new Generator(8));
        // E[x1], E[x2], E[x1²], E[x2²], E[x1 x2] by the midpoint rule over the density...
        var expected = new double[5];
        ForEachGridCell(model, (a, b, mass) =>
        {
            expected[0] += mass * a;
            expected[1] += mass * b;
            expected[2] += mass * a * a;
            expected[3] += mass * b * b;
            expected[4] += mass * a * b;
        });
        // ... against the same statistics of 20,000 draws, each within 4 standard errors.
        const int count = 20_000;
        var samples = model.Sample(count, new Generator(9)).ToArray();
        Func<int, double>[] statistics =
        [
            n => samples[2 * n], n => samples[2 * n + 1], n => samples[2 * n] * (double)samples[2 * n],
            n => samples[2 * n + 1] * (double)samples[2 * n + 1], n => samples[2 * n] * (double)samples[2 * n + 1],
        ];
        for (var s = 0; s < statistics.Length; s++)
        {
            var values = Enumerable.Range(0, count).Select(statistics[s]).ToArray();
            var mean = Statistics.Mean(values);
            var standardError = Math.Sqrt(Statistics.Variance(values) / count);
            Assert.True(Math.Abs(mean - expected[s]) <= Tolerance.StandardErrors * standardError,
                $"statistic {s}: samples {mean} ± {standardError}, density {expected[s]}");
        }
    }

    [Fact]
    public void Sample_SameSeed_SameSamples()
    {
        var model = new Rnade(3, 5, 2, [2, 1, 0], new Generator(10));

        var first = model.Sample(50, new Generator(11)).ToArray();
        var second = model.Sample(50, new Generator(11)).ToArray();
        var other = model.Sample(50, new Generator(12)).ToArray();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Constructor_NotAPermutation_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Rnade(3, 4, 2, [0, 0, 1]));
        Assert.Throws<ArgumentException>(() => new Rnade(3, 4, 2, [0, 1]));
    }

    [Fact]
    public void Loss_OneTinyEpoch_LowersTheNll()
    {
        var model = new Rnade(2, 16, 3, generator: new Generator(13));
        var data = Points(256, 2, 14);
        var optimizer = new Adam(model.Parameters(), learningRate: 1e-2);
        float Evaluate()
        {
            using (Tensor.NoGrad())
            {
                return model.Loss(data).Item();
            }
        }
        var before = Evaluate();
        for (var epoch = 0; epoch < 3; epoch++)
        {
            for (var start = 0; start < 256; start += 32)
            {
                optimizer.ZeroGrad();
                model.Loss(data.Narrow(0, start, 32)).Backward();
                optimizer.Step();
            }
        }
        var after = Evaluate();
        Assert.True(after < before - 0.05f, $"NLL went from {before} to {after}");
    }
}
