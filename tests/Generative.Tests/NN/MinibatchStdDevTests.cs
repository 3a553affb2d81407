using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

public class MinibatchStdDevTests
{
    private static double MeanStd(float[] values, int batch) => MeanStdDouble(values.Select(v => (double)v).ToArray(), batch);

    [Fact]
    public void Forward_Rows_AppendsTheMeanStandardDeviationAsAColumn()
    {
        var x = Tensor.Randn([5, 3], new Generator(1));

        var y = new MinibatchStdDev().Forward(x);

        Assert.Equal([5, 4], y.Shape);
        var (input, output) = (x.ToArray(), y.ToArray());
        var expected = MeanStd(input, 5);
        for (var n = 0; n < 5; n++)
        {
            Assert.Equal(input.AsSpan(3 * n, 3).ToArray(), output.AsSpan(4 * n, 3).ToArray());
            Assert.Equal(expected, output[4 * n + 3], 1e-5);
        }
    }

    [Fact]
    public void Forward_FeatureMaps_FillsOneMoreChannel()
    {
        var x = Tensor.Randn([4, 2, 3, 3], new Generator(2));

        var y = new MinibatchStdDev().Forward(x).ToArray();

        var expected = MeanStd(x.ToArray(), 4);
        for (var n = 0; n < 4; n++)
        {
            // Channel 2 of example n: 9 values after its two input channels.
            Assert.All(y.AsSpan(n * 27 + 18, 9).ToArray(), v => Assert.Equal(expected, v, 1e-5));
        }
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences()
    {
        // L = Σ w ⊙ y with fixed weights, so every output (the appended column too) contributes.
        var x = Tensor.Randn([4, 3], new Generator(3));
        var weights = Tensor.Randn([4, 4], new Generator(4));
        x.RequiresGrad = true;
        (new MinibatchStdDev().Forward(x) * weights).Sum().Backward();
        var analytic = x.Grad!.ToArray();

        var values = x.ToArray().Select(v => (double)v).ToArray();
        var w = weights.ToArray();
        double Loss(double[] v)
        {
            var std = MeanStdDouble(v, 4);
            double total = 0;
            for (var n = 0; n < 4; n++)
            {
                for (var f = 0; f < 3; f++) { total += v[n * 3 + f] * w[n * 4 + f]; }
                total += std * w[n * 4 + 3];
            }
            return total;
        }
        for (var i = 0; i < values.Length; i++)
        {
            var (plus, minus) = ((double[])values.Clone(), (double[])values.Clone());
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            Assert.Equal((Loss(plus) - Loss(minus)) / 2e-6, analytic[i], 1e-3);
        }
    }

    // The mean over features of each feature's population standard deviation over the batch, in double.
    private static double MeanStdDouble(double[] values, int batch)
    {
        var features = values.Length / batch;
        return Enumerable.Range(0, features).Average(f =>
        {
            var column = Enumerable.Range(0, batch).Select(n => values[n * features + f]).ToArray();
            var mean = column.Average();
            return Math.Sqrt(column.Average(v => (v - mean) * (v - mean)) + 1e-8);
        });
    }

    [Fact]
    public void Forward_BadInputs_AreNamed()
    {
        var layer = new MinibatchStdDev();
        var single = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros([1, 3])));
        Assert.Contains("at least two examples, got 1", single.Message);
        var rank3 = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros([2, 3, 4])));
        Assert.Contains("(N, F) or (N, C, H, W)", rank3.Message);
    }
}
