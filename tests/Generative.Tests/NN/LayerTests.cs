using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

/// <summary>Layers: initialisation, forward values against their definitions, train/eval behaviour and shapes.</summary>
public class LayerTests
{
    /// <summary>float32 forward values vs the same formula in double over a few dozen terms.</summary>
    private const double ForwardTolerance = 1e-5;

    [Fact]
    public void Linear_DefaultInit_WithinPyTorchBoundsAndSpread()
    {
        var layer = new Linear(100, 50, generator: new Generator(3));
        var bound = 1 / Math.Sqrt(100);

        var weights = layer.Weight.ToArray();
        Assert.Equal([50, 100], layer.Weight.Shape);
        Assert.Equal([50], layer.Bias!.Shape);
        Assert.All(weights, w => Assert.InRange(w, -bound, bound));
        Assert.All(layer.Bias.ToArray(), b => Assert.InRange(b, -bound, bound));
        // U(-b, b) has variance b^2 / 3; 5000 draws pin it within a few percent.
        var samples = weights.Select(w => (double)w).ToList();
        Statistics.AssertMeanWithinStandardErrors(0, bound * bound / 3, samples);
        Assert.InRange(weights.Max(), 0.95 * bound, bound);
        Assert.InRange(weights.Min(), -bound, -0.95 * bound);
    }

    [Fact]
    public void Linear_SameSeed_SameParametersDifferentSeedDifferent()
    {
        var a = new Linear(20, 10, generator: new Generator(7));
        var b = new Linear(20, 10, generator: new Generator(7));
        var c = new Linear(20, 10, generator: new Generator(8));

        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
        Assert.NotEqual(a.Weight.ToArray(), c.Weight.ToArray());
    }

    [Fact]
    public void Linear_WithoutGenerator_ReproducibleAfterManualSeed()
    {
        Init.ManualSeed(123);
        var first = new Linear(5, 4).Weight.ToArray();
        Init.ManualSeed(123);
        var second = new Linear(5, 4).Weight.ToArray();

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(new[] { 6, 5 })]
    [InlineData(new[] { 2, 3, 5 })]
    [InlineData(new[] { 2, 2, 2, 5 })]
    [InlineData(new[] { 5 })]
    public void Linear_Forward_MatchesXWTransposePlusB(int[] inputShape)
    {
        var generator = new Generator(4);
        var layer = new Linear(5, 3, generator: generator);
        var x = Tensor.Randn(inputShape, generator);

        var y = layer.Forward(x);

        Assert.Equal([.. inputShape[..^1], 3], y.Shape);
        var xs = x.ToArray();
        var w = layer.Weight.ToArray();
        var b = layer.Bias!.ToArray();
        var actual = y.ToArray();
        for (var row = 0; row < xs.Length / 5; row++)
        {
            for (var o = 0; o < 3; o++)
            {
                double expected = b[o];
                for (var i = 0; i < 5; i++)
                {
                    expected += (double)xs[row * 5 + i] * w[o * 5 + i];
                }
                Assert.Equal(expected, actual[row * 3 + o], ForwardTolerance);
            }
        }
    }

    [Fact]
    public void Linear_WrongInputWidth_NamesShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Linear(5, 3).Forward(Tensor.Zeros(2, 4)));

        Assert.Contains("(2, 4)", error.Message);
        Assert.Contains("inFeatures = 5", error.Message);
    }

    [Fact]
    public void Conv2d_DefaultInit_BoundFromFanIn()
    {
        var conv = new Conv2d(8, 16, 3, generator: new Generator(1));
        var bound = 1 / Math.Sqrt(8 * 9);

        Assert.Equal([16, 8, 3, 3], conv.Weight.Shape);
        Assert.All(conv.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.True(conv.Weight.ToArray().Max() > 0.9 * bound);
    }

    [Fact]
    public void ConvTranspose2d_DefaultInit_FanInFromDimensionOneAsPyTorch()
    {
        var conv = new ConvTranspose2d(128, 64, 4, 2, 1, generator: new Generator(1));
        var bound = 1 / Math.Sqrt(64 * 16);

        Assert.Equal([128, 64, 4, 4], conv.Weight.Shape);
        Assert.All(conv.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.True(conv.Weight.ToArray().Max() > 0.9 * bound);
    }

    [Fact]
    public void DcganShapes_DiscriminatorDownAndGeneratorUp_28To14To7AndBack()
    {
        var generator = new Generator(2);
        var images = Tensor.Randn([3, 1, 28, 28], generator);
        var conv1 = new Conv2d(1, 64, 4, stride: 2, padding: 1, generator: generator);
        var conv2 = new Conv2d(64, 128, 4, stride: 2, padding: 1, generator: generator);
        var up1 = new ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, generator: generator);
        var up2 = new ConvTranspose2d(64, 1, 4, stride: 2, padding: 1, generator: generator);

        var h14 = conv1.Forward(images);
        var h7 = conv2.Forward(h14);
        var g14 = up1.Forward(h7);
        var g28 = up2.Forward(g14);

        Assert.Equal([3, 64, 14, 14], h14.Shape);
        Assert.Equal([3, 128, 7, 7], h7.Shape);
        Assert.Equal([3, 64, 14, 14], g14.Shape);
        Assert.Equal([3, 1, 28, 28], g28.Shape);
    }

    [Fact]
    public void DcganGenerator_LinearUnflattenTransposedConvs_EndsAt28By28()
    {
        var generator = new Generator(3);
        var net = new Sequential(
            new Linear(64, 128 * 7 * 7, generator: generator), new Relu(), new Unflatten(1, 128, 7, 7),
            new ConvTranspose2d(128, 64, 4, 2, 1, generator: generator), new BatchNorm2d(64), new Relu(),
            new ConvTranspose2d(64, 1, 4, 2, 1, generator: generator), new Sigmoid());

        var samples = net.Forward(Tensor.Randn([2, 64], generator));

        Assert.Equal([2, 1, 28, 28], samples.Shape);
        Assert.All(samples.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void ConvTranspose2d_OutputPadding_PicksOddSize()
    {
        var conv = new ConvTranspose2d(2, 3, 3, stride: 2, padding: 1, outputPadding: 1, generator: new Generator(1));

        Assert.Equal([1, 3, 8, 8], conv.Forward(Tensor.Zeros(1, 2, 4, 4)).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d(2, 3, 3, stride: 2, outputPadding: 2));
    }

    [Fact]
    public void Conv2d_WrongChannels_NamesOpAndShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2d(3, 4, 3).Forward(Tensor.Zeros(1, 2, 5, 5)));

        Assert.Contains("Conv2d", error.Message);
        Assert.Contains("(1, 2, 5, 5)", error.Message);
        Assert.Contains("(4, 3, 3, 3)", error.Message);
    }

    [Fact]
    public void Dropout_TrainingMode_ZeroesAboutPAndScalesSurvivors()
    {
        var dropout = new Dropout(0.3f, new Generator(9));
        var x = Tensor.Ones(100, 100);

        var y = dropout.Forward(x).ToArray();

        var kept = y.Count(v => v != 0);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1 / 0.7f, v));
        // Binomial(10000, 0.7): standard deviation about 46.
        Assert.InRange(kept, 7000 - 4 * 46, 7000 + 4 * 46);
    }

    [Fact]
    public void Dropout_EvalMode_ReturnsInputUnchanged()
    {
        var dropout = new Dropout(0.5f, new Generator(9));
        var x = Tensor.Randn([4, 5], new Generator(1));

        dropout.Eval();

        Assert.Same(x, dropout.Forward(x));
        dropout.Train();
        Assert.NotEqual(x.ToArray(), dropout.Forward(x).ToArray());
    }

    [Fact]
    public void Dropout_SameSeed_SameMask()
    {
        var x = Tensor.Ones(8, 8);

        var first = x.Dropout(0.5f, training: true, new Generator(5)).ToArray();
        var second = x.Dropout(0.5f, training: true, new Generator(5)).ToArray();

        Assert.Equal(first, second);
        Assert.Equal(new float[64], x.Dropout(1f, training: true, new Generator(5)).ToArray());
    }

    [Fact]
    public void BatchNorm1d_TrainingMode_NormalisesBatchAndUpdatesRunningStats()
    {
        var bn = new BatchNorm1d(3, momentum: 0.1f);
        var x = Tensor.Randn([64, 3], new Generator(4)) * 2f + 5f;

        var y = bn.Forward(x);

        var values = x.ToArray();
        var outputs = y.ToArray();
        for (var c = 0; c < 3; c++)
        {
            var column = Enumerable.Range(0, 64).Select(n => (double)values[n * 3 + c]).ToList();
            var normalized = Enumerable.Range(0, 64).Select(n => (double)outputs[n * 3 + c]).ToList();
            var mean = column.Average();
            var biased = column.Sum(v => (v - mean) * (v - mean)) / 64;
            Assert.Equal(0, normalized.Average(), 1e-5);
            Assert.Equal(biased / (biased + 1e-5), normalized.Sum(v => v * v) / 64, 1e-4);
            // running = 0.9 running + 0.1 batch, with the unbiased variance as PyTorch keeps it.
            Assert.Equal(0.1 * mean, bn.RunningMean![c], 1e-5);
            Assert.Equal(0.9 + 0.1 * biased * 64 / 63, bn.RunningVar![c], 1e-5);
        }
    }

    [Fact]
    public void BatchNorm2d_EvalMode_UsesRunningStatsAndLeavesThemUnchanged()
    {
        var bn = new BatchNorm2d(2);
        var generator = new Generator(6);
        for (var step = 0; step < 5; step++)
        {
            bn.Forward(Tensor.Randn([4, 2, 3, 3], generator) + 1f);
        }
        var runningMean = bn.RunningMean!.ToArray();
        var runningVar = bn.RunningVar!.ToArray();
        var x = Tensor.Randn([2, 2, 3, 3], generator);

        bn.Eval();
        var y = bn.Forward(x).ToArray();

        Assert.Equal(runningMean, bn.RunningMean.ToArray());
        Assert.Equal(runningVar, bn.RunningVar.ToArray());
        var xs = x.ToArray();
        for (var i = 0; i < xs.Length; i++)
        {
            var c = i / 9 % 2;
            Assert.Equal((xs[i] - runningMean[c]) / Math.Sqrt(runningVar[c] + 1e-5), y[i], ForwardTolerance);
        }
    }

    [Fact]
    public void BatchNorm_TrainVersusEval_DifferentOutputsForSameInput()
    {
        var bn = new BatchNorm1d(4);
        var x = Tensor.Randn([8, 4], new Generator(1)) * 3f;

        var training = bn.Forward(x).ToArray();
        bn.Eval();
        var evaluation = bn.Forward(x).ToArray();

        Assert.NotEqual(training, evaluation);
    }

    [Fact]
    public void BatchNorm_TrainingWithOneValuePerChannel_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(1, 3)));

        Assert.Contains("more than 1 value per channel", error.Message);
        Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(4, 3)));
    }

    [Fact]
    public void LayerNorm_Forward_EachRowZeroMeanUnitVariance()
    {
        var norm = new LayerNorm(6);
        var x = Tensor.Randn([4, 6], new Generator(2)) * 4f + 1f;

        var y = norm.Forward(x).ToArray();

        for (var r = 0; r < 4; r++)
        {
            var row = y.Skip(r * 6).Take(6).Select(v => (double)v).ToArray();
            Assert.Equal(0, row.Average(), 1e-5);
            Assert.Equal(1, row.Sum(v => v * v) / 6, 1e-3);
        }
        Assert.Equal(["weight", "bias"], norm.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Embedding_Forward_PicksRowsAndShapes()
    {
        var embedding = new Embedding(10, 4, new Generator(3));
        var ids = Tensor.FromArray([3, 7, 3, 0, 9, 1], 2, 3);

        var vectors = embedding.Forward(ids);

        Assert.Equal([2, 3, 4], vectors.Shape);
        Assert.Equal(embedding.Weight.Select(0, 7).ToArray(), vectors.Select(0, 0).Select(0, 1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Forward(Tensor.FromArray([10f])));
    }

    [Fact]
    public void LstmCell_Forward_ShapesNamesAndZeroInitialState()
    {
        var cell = new LstmCell(3, 5, generator: new Generator(1));
        var x = Tensor.Randn([2, 3], new Generator(2));

        var (h, c) = cell.Forward(x);
        var (h2, c2) = cell.Forward(x, (Tensor.Zeros(2, 5), Tensor.Zeros(2, 5)));

        Assert.Equal([2, 5], h.Shape);
        Assert.Equal([2, 5], c.Shape);
        Assert.Equal(h.ToArray(), h2.ToArray());
        Assert.Equal(c.ToArray(), c2.ToArray());
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], cell.NamedParameters().Select(p => p.Name));
        Assert.Equal(4 * 5 * (3 + 5 + 2), cell.ParameterCount);
    }

    [Fact]
    public void FlattenUnflatten_RoundTrip_RestoresShape()
    {
        var x = Tensor.Randn([2, 3, 4, 5], new Generator(1));

        var flat = new Flatten().Forward(x);
        var back = new Unflatten(1, 3, 4, 5).Forward(flat);

        Assert.Equal([2, 60], flat.Shape);
        Assert.Equal(x.Shape, back.Shape);
        Assert.Equal(x.ToArray(), back.ToArray());
    }

    [Fact]
    public void Activations_Forward_MatchTensorOps()
    {
        var x = Tensor.Randn([3, 4], new Generator(1));

        Assert.Equal(x.Relu().ToArray(), new Relu().Forward(x).ToArray());
        Assert.Equal(x.LeakyRelu(0.2f).ToArray(), new LeakyRelu(0.2f).Forward(x).ToArray());
        Assert.Equal(x.Sigmoid().ToArray(), new Sigmoid().Forward(x).ToArray());
        Assert.Equal(x.Tanh().ToArray(), new Tanh().Forward(x).ToArray());
        Assert.Equal(x.Softplus().ToArray(), new Softplus().Forward(x).ToArray());
    }
}
