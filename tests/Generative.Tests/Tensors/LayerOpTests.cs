using Generative.Tensors;

namespace Generative.Tests.Tensors;

/// <summary>The layer ops beyond their gradient rows in <see cref="LayerOpCases"/>: running statistics, modes, errors.</summary>
public class LayerOpTests
{
    [Fact]
    public void Shape_ReturnsCopy_MutatingItLeavesTensorAlone()
    {
        var t = Tensor.Zeros(2, 3);

        var shape = t.Shape;
        shape[0] = 7;

        Assert.Equal([2, 3], t.Shape);
        Assert.NotSame(t.Shape, t.Shape);
    }

    [Fact]
    public void BatchNorm_TrainingTwice_RunningStatsFollowMomentumFormula()
    {
        var runningMean = Tensor.FromArray([1f, -1f]);
        var runningVar = Tensor.FromArray([2f, 0.5f]);
        var x = Tensor.FromArray([1, 2, 3, 5, 7, 11, 4, 6], 4, 2);

        Tensor.BatchNorm(x, runningMean, runningVar, training: true, momentum: 0.25f);

        // Column 0: 1, 3, 7, 4 (mean 3.75, unbiased var 6.25); column 1: 2, 5, 11, 6 (mean 6, unbiased var 14).
        Assert.Equal(0.75 * 1 + 0.25 * 3.75, runningMean[0], 1e-6);
        Assert.Equal(0.75 * -1 + 0.25 * 6, runningMean[1], 1e-6);
        Assert.Equal(0.75 * 2 + 0.25 * 6.25, runningVar[0], 1e-6);
        Assert.Equal(0.75 * 0.5 + 0.25 * 14, runningVar[1], 1e-5);
    }

    [Fact]
    public void BatchNorm_EvalMode_GradientIsScaleTimesOutputGradient()
    {
        var x = Tensor.Randn([3, 2], new Generator(1));
        x.RequiresGrad = true;
        var weight = Tensor.FromArray([2f, -1f]);

        Tensor.BatchNorm(x, Tensor.Zeros(2), Tensor.FromArray([3f, 0.25f]), weight, training: false).Sum().Backward();

        var expected = new[] { 2 / MathF.Sqrt(3 + 1e-5f), -1 / MathF.Sqrt(0.25f + 1e-5f) };
        var grad = x.Grad!.ToArray();
        for (var i = 0; i < grad.Length; i++)
        {
            Assert.Equal(expected[i % 2], grad[i], 1e-5);
        }
    }

    [Fact]
    public void BatchNorm_ChannelMismatch_NamesShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.BatchNorm(Tensor.Zeros(4, 3), Tensor.Zeros(2), Tensor.Ones(2), training: true));

        Assert.Contains("BatchNorm", error.Message);
        Assert.Contains("(2)", error.Message);
        Assert.Contains("(4, 3)", error.Message);
    }

    [Fact]
    public void MatMulAndLinear_EmptyInnerDimension_GiveZerosAndZeroGradients()
    {
        // Outputs are allocated uninitialised; with k = 0 GEMM must still write every element (as zeros). Large
        // enough (1 MB) that the runtime hands out memory it has not cleared.
        var a = Tensor.Zeros(512, 0);
        var b = Tensor.Zeros(0, 512);
        var weight = Tensor.Zeros(512, 0);
        weight.RequiresGrad = true;
        var x = Tensor.Ones(0, 512);
        x.RequiresGrad = true;

        Assert.All(a.MatMul(b).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Linear(a, weight).ToArray(), v => Assert.Equal(0f, v));
        // With no rows, the weight gradient gᵀ x sums over nothing.
        var w2 = Tensor.Ones(512, 512);
        w2.RequiresGrad = true;
        Tensor.Linear(x, w2).Sum().Backward();
        Assert.All(w2.Grad!.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Linear_FeatureMismatch_NamesShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(5, 4)));

        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(5, 4)", error.Message);
    }

    [Fact]
    public void Linear_BiasOfWrongSize_NamesShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros(2, 4), Tensor.Zeros(5, 4), Tensor.Zeros(4)));

        Assert.Contains("(4)", error.Message);
        Assert.Contains("(5, 4)", error.Message);
    }

    [Fact]
    public void Linear_SameBitsAsMatMulOfTransposePlusBias()
    {
        // The layer switched from x.MatMul(W.T) + b to Tensor.Linear; forward values and all three gradients are the
        // same GEMMs and adds, so they must agree bit for bit (stored notebook outputs depend on it).
        var generator = new Generator(5);
        var x = Tensor.Randn([37, 70], generator);
        var weight = Tensor.Randn([45, 70], generator);
        var bias = Tensor.Randn([45], generator);
        x.RequiresGrad = weight.RequiresGrad = bias.RequiresGrad = true;
        var upstream = Tensor.Randn([37, 45], generator);

        var fused = Tensor.Linear(x, weight, bias);
        (fused * upstream).Sum().Backward();
        var (dx, dw, db) = (x.Grad!.ToArray(), weight.Grad!.ToArray(), bias.Grad!.ToArray());
        x.Grad = null;
        weight.Grad = null;
        bias.Grad = null;
        var composed = x.MatMul(weight.T) + bias;
        (composed * upstream).Sum().Backward();

        Assert.Equal(composed.ToArray(), fused.ToArray());
        Assert.Equal(x.Grad!.ToArray(), dx);
        Assert.Equal(weight.Grad!.ToArray(), dw);
        Assert.Equal(bias.Grad!.ToArray(), db);
    }

    [Fact]
    public void LayerNorm_WrongTrailingShape_NamesShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.LayerNorm(Tensor.Zeros(2, 3, 4), [3]));

        Assert.Contains("(2, 3, 4)", error.Message);
        Assert.Contains("(3)", error.Message);
    }

    [Fact]
    public void ConvTranspose2d_IsAdjointOfConv2d()
    {
        // <conv(x), y> = <x, convT(y)> for the same weight: the defining property of the transposed convolution.
        var generator = new Generator(3);
        var x = Tensor.Randn([2, 3, 8, 8], generator);
        var weight = Tensor.Randn([4, 3, 4, 4], generator);
        var y = Tensor.Randn([2, 4, 4, 4], generator);

        var left = (Tensor.Conv2d(x, weight, stride: 2, padding: 1) * y).Sum().Item();
        var right = (x * Tensor.ConvTranspose2d(y, weight, stride: 2, padding: 1)).Sum().Item();

        Assert.Equal(left, right, 1e-3);
    }

    [Fact]
    public void Conv2d_OnlyBiasRequiresGrad_BiasGradientSumsOutputGradient()
    {
        var bias = Tensor.Zeros(2);
        bias.RequiresGrad = true;

        Tensor.Conv2d(Tensor.Ones(3, 1, 4, 4), Tensor.Ones(2, 1, 3, 3), bias).Sum().Backward();

        Assert.Equal([3f * 2 * 2, 3f * 2 * 2], bias.Grad!.ToArray());
    }

    [Fact]
    public void Dropout_OutsideProbabilityRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2).Dropout(1.5f, training: true, new Generator(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2).Dropout(float.NaN, training: false, new Generator(1)));
    }
}
