using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>The shared contract of the autoregressive density models (FVSBN, MADE, NADE, PixelCNN, gated PixelCNN, Row LSTM): normalised, autoregressive,
/// reproducible sampling, and one tiny epoch of training lowers the negative log-likelihood.</summary>
public class AutoregressiveModelTests
{
    private const int TinyDimensions = 10;

    /// <summary>exp(log p) summed over all 1024 vectors in float32 arithmetic: each log p carries a relative error of a
    /// few float ulps (sums over 10 conditionals), so the total is 1 within about 1e-5.</summary>
    private const double NormalisationTolerance = 1e-4;

    /// <summary>Logits computed twice from inputs that differ only in later dimensions go through the same masked
    /// (zero) weights, so they agree exactly; a float32 ulp of slack covers a reordered sum.</summary>
    private const float AutoregressiveTolerance = 1e-6f;

    public static TheoryData<string> ModelNames => new() { "fvsbn", "made", "nade", "pixelcnn", "gatedpixelcnn", "rowlstm" };

    /// <summary>One model of each kind through the shared surface, <see cref="AutoregressiveModel"/>: no casts.</summary>
    private static AutoregressiveModel Create(string name, int dimensions, ulong seed)
    {
        var generator = new Generator(seed);
        // Image models get two rows when the length allows, so that paths come from the row above as well as from the left.
        var (height, width) = dimensions % 2 == 0 ? (2, dimensions / 2) : (1, dimensions);
        return name switch
        {
            "fvsbn" => new Fvsbn(dimensions, generator),
            "rowlstm" => new RowLstm(height, width, hiddenSize: 6, generator),
            "pixelcnn" => new PixelCnn(height, width, channels: 6, layers: 2, inputKernel: 5, generator: generator),
            "gatedpixelcnn" => new GatedPixelCnn(height, width, channels: 4, layers: 1, inputKernel: 3, generator: generator),
            "made" => new Made(dimensions, [16, 16], generator),
            _ => new Nade(dimensions, 12, generator),
        };
    }

    [Fact]
    public void Nade_InputsRequireGrad_TakesTheComposedPathAndTheFusedOpRefuses()
    {
        var model = new Nade(6, 4, new Generator(3));
        float[] bits = [1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0];
        var x = Tensor.FromArray(bits, 2, 6);
        x.RequiresGrad = true;
        model.NegativeLogLikelihood(x).Sum().Backward();
        var reference = Tensor.FromArray(bits, 2, 6);
        reference.RequiresGrad = true;
        Generative.NN.Losses.BinaryCrossEntropyWithLogits(model.Forward(reference), reference, Generative.NN.Reduction.None).Sum().Backward();
        Assert.Equal(reference.Grad!.ToArray(), x.Grad!.ToArray());
        var error = Assert.Throws<ArgumentException>(() =>
            Tensor.NadeNegativeLogLikelihood(x, model.Weight, model.HiddenBias, model.OutputWeight, model.OutputBias));
        Assert.Contains("BinaryCrossEntropyWithLogits(NadeLogits(x, ...), x", error.Message);
    }

    private static Tensor AllBinaryVectors(int dimensions)
    {
        var count = 1 << dimensions;
        var values = new float[count * dimensions];
        for (var i = 0; i < count; i++)
        {
            for (var d = 0; d < dimensions; d++)
            {
                values[i * dimensions + d] = (i >> d) & 1;
            }
        }
        return Tensor.FromArray(values, count, dimensions);
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void LogProb_OverAllBinaryVectors_SumsToOne(string name)
    {
        var model = Create(name, TinyDimensions, seed: 1);
        using (Tensor.NoGrad())
        {
            var logProbs = model.LogProb(AllBinaryVectors(TinyDimensions)).ToArray();
            var total = logProbs.Sum(lp => Math.Exp(lp));
            Assert.Equal(1.0, total, NormalisationTolerance);
            Assert.All(logProbs, lp => Assert.True(lp < 0));
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Logits_ChangingLaterDimensions_LeavesEarlierConditionalsUnchanged(string name)
    {
        var model = Create(name, TinyDimensions, seed: 2);
        var generator = new Generator(3);
        using (Tensor.NoGrad())
        {
            var x = Tensor.Bernoulli(Tensor.Full([8, TinyDimensions], 0.5f), generator);
            var logits = model.Forward(x).ToArray();
            var influential = 0;
            for (var j = 0; j < TinyDimensions; j++)
            {
                var flipped = x.ToArray();
                for (var n = 0; n < 8; n++)
                {
                    flipped[n * TinyDimensions + j] = 1 - flipped[n * TinyDimensions + j];
                }
                var changed = model.Forward(Tensor.FromArray(flipped, 8, TinyDimensions)).ToArray();
                var anyLaterChanged = false;
                for (var n = 0; n < 8; n++)
                {
                    for (var i = 0; i <= j; i++)
                    {
                        // the conditional of dimension i depends on x_<i only: flipping x_j, j >= i, must not move it
                        Assert.Equal(logits[n * TinyDimensions + i], changed[n * TinyDimensions + i], AutoregressiveTolerance);
                    }
                    for (var i = j + 1; i < TinyDimensions; i++)
                    {
                        anyLaterChanged |= logits[n * TinyDimensions + i] != changed[n * TinyDimensions + i];
                    }
                }
                if (j + 1 < TinyDimensions && anyLaterChanged)
                {
                    influential++;
                }
            }
            // FVSBN's dense lower triangle, NADE's tied weights and PixelCNN's kernels connect every input to some later
            // conditional. The Row LSTM reads its own row only one pixel to the left and the row above from one pixel
            // left to one right of that, so the last pixel of the first row (of 2 x 5) reaches nothing. MADE's random
            // degrees may leave an input without a path, but not most of them.
            Assert.True(name != "made" ? influential == TinyDimensions - 1 - (name == "rowlstm" ? 1 : 0) : influential >= (TinyDimensions - 1) / 2,
                $"only {influential} inputs change a later conditional: the model ignores its inputs");
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Sample_SameSeed_SameBinaryVectorsOfRightShape(string name)
    {
        var model = Create(name, TinyDimensions, seed: 4);
        var first = model.Sample(20, new Generator(7));
        var second = model.Sample(20, new Generator(7));
        Assert.Equal([20, TinyDimensions], first.Shape);
        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.All(first.ToArray(), v => Assert.True(v is 0f or 1f));
        Assert.NotEqual(first.ToArray(), model.Sample(20, new Generator(8)).ToArray());
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Sample_ManyDraws_FollowTheModelsDistribution(string name)
    {
        // The empirical frequency of each 3-dimensional vector matches exp(LogProb) within 4 standard errors.
        const int dimensions = 3, draws = 4000;
        var model = Create(name, dimensions, seed: 5);
        var samples = model.Sample(draws, new Generator(9)).ToArray();
        var counts = new int[1 << dimensions];
        for (var n = 0; n < draws; n++)
        {
            var index = 0;
            for (var d = 0; d < dimensions; d++)
            {
                index |= (int)samples[n * dimensions + d] << d;
            }
            counts[index]++;
        }
        using (Tensor.NoGrad())
        {
            var probs = model.LogProb(AllBinaryVectors(dimensions)).ToArray().Select(lp => Math.Exp(lp)).ToArray();
            for (var i = 0; i < probs.Length; i++)
            {
                var standardError = Math.Sqrt(probs[i] * (1 - probs[i]) / draws);
                Assert.True(Math.Abs(counts[i] / (double)draws - probs[i]) <= Tolerance.StandardErrors * standardError,
                    $"vector {i}: frequency {counts[i] / (double)draws} vs probability {probs[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Loss_OneTinyEpoch_LowersNegativeLogLikelihood(string name)
    {
        var model = Create(name, TinyDimensions, seed: 6);
        var data = StructuredData(1024, new Generator(10));
        var optimizer = new Adam(model.Parameters(), learningRate: 3e-2);
        float before;
        using (Tensor.NoGrad())
        {
            before = model.LogProb(data).Mean().Item();
        }
        for (var start = 0; start < 1024; start += 32)
        {
            optimizer.ZeroGrad();
            var loss = model.Loss(data.Narrow(0, start, 32));
            loss.Backward();
            optimizer.Step();
        }
        using (Tensor.NoGrad())
        {
            var after = model.LogProb(data).Mean().Item();
            Assert.True(after > before + 0.5f, $"mean log p went from {before} to {after}");
        }
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Loss_IsMeanNegativeLogProb(string name)
    {
        var model = Create(name, TinyDimensions, seed: 7);
        var data = StructuredData(16, new Generator(11));
        Assert.Equal(-model.LogProb(data).Mean().Item(), model.Loss(data).Item(), 1e-3f);
    }

    /// <summary>Vectors with strong dependencies between neighbours (each bit copies the previous one with
    /// probability 0.9), so a model that learns anything lowers the NLL well below that of independent bits.</summary>
    private static Tensor StructuredData(int count, Generator generator)
    {
        var values = new float[count * TinyDimensions];
        for (var n = 0; n < count; n++)
        {
            var bit = generator.Bernoulli(0.5);
            for (var d = 0; d < TinyDimensions; d++)
            {
                bit = generator.Bernoulli(0.9) ? bit : !bit;
                values[n * TinyDimensions + d] = bit ? 1 : 0;
            }
        }
        return Tensor.FromArray(values, count, TinyDimensions);
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Complete_GivenPrefix_DrawsTheRestFromTheExactConditional_AndIgnoresWhatFollowsThePrefix(string name)
    {
        // D = 4 with the first two known (1, 0): the completions' frequencies against p(x₃, x₄ | x₁, x₂) = p(x) / Σ p,
        // summed exactly over the four completions.
        const int dimensions = 4, draws = 20_000;
        var model = Create(name, dimensions, seed: 5);
        var completions = AllBinaryVectors(2).ToArray();
        var candidates = Tensor.FromArray([.. Enumerable.Range(0, 4).SelectMany(i => new[] { 1f, 0f, completions[2 * i], completions[2 * i + 1] })], 4, dimensions);
        double[] joint;
        using (Tensor.NoGrad())
        {
            joint = [.. model.LogProb(candidates).ToArray().Select(lp => Math.Exp(lp))];
        }
        var given = Tensor.FromArray([.. Enumerable.Range(0, draws).SelectMany(n => new[] { 1f, 0f, n % 2, 1f })], draws, dimensions);

        var drawn = model.Complete(given, givenDimensions: 2, new Generator(6)).ToArray();
        var junkIgnored = model.Complete(Tensor.FromArray([.. Enumerable.Range(0, draws).SelectMany(_ => new[] { 1f, 0f, 0f, 0f })], draws, dimensions), 2, new Generator(6));

        Assert.Equal(drawn, junkIgnored.ToArray());
        var counts = new int[4];
        for (var n = 0; n < draws; n++)
        {
            Assert.Equal((1f, 0f), (drawn[n * 4], drawn[n * 4 + 1]));
            counts[(int)drawn[n * 4 + 2] + 2 * (int)drawn[n * 4 + 3]]++;
        }
        for (var i = 0; i < 4; i++)
        {
            var expected = joint[i] / joint.Sum();
            var sigma = Math.Sqrt(expected * (1 - expected) / draws);
            Assert.True(Math.Abs(counts[i] / (double)draws - expected) < 5 * sigma,
                $"{name}: completion {i} drawn {counts[i] / (double)draws:F4} of the time, the conditional gives {expected:F4}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Complete(given, dimensions + 1, new Generator(1)));
    }
}
