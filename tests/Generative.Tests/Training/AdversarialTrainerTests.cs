using Generative.NN;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Tests.Training;

/// <summary>The two-player loop: the same steps as Goodfellow et al.'s Algorithm 1 written by hand, each player moved
/// only by its own optimiser, progress for both losses, and clear errors.</summary>
public class AdversarialTrainerTests
{
    /// <summary>A 1-D GAN small enough to follow: G(z) = a z + b, D(x) = c x + d (a logit).</summary>
    private sealed class TinyGan
    {
        public TinyGan(ulong seed)
        {
            var generator = new Generator(seed);
            (G, D) = (new Linear(1, 1, generator: generator), new Linear(1, 1, generator: generator));
            Noise = new Generator(seed + 100);
        }

        public Linear G { get; }

        public Linear D { get; }

        public Generator Noise { get; }

        public Tensor DiscriminatorLoss(Tensor real)
        {
            var fake = G.Forward(Tensor.Randn([real.Size(0), 1], Noise)).Detach();
            var (realLogits, fakeLogits) = (D.Forward(real), D.Forward(fake));
            return Losses.BinaryCrossEntropyWithLogits(realLogits, Tensor.OnesLike(realLogits))
                + Losses.BinaryCrossEntropyWithLogits(fakeLogits, Tensor.ZerosLike(fakeLogits));
        }

        public Tensor GeneratorLoss(Tensor real)
        {
            var logits = D.Forward(G.Forward(Tensor.Randn([real.Size(0), 1], Noise)));
            return Losses.BinaryCrossEntropyWithLogits(logits, Tensor.OnesLike(logits));
        }
    }

    private static Tensor RealData(int count) => Tensor.Randn([count, 1], new Generator(5)) * 0.5f + 3f;

    [Fact]
    public void Fit_TwoDiscriminatorStepsPerGeneratorStep_SameLossesAndWeightsAsTheHandWrittenLoop()
    {
        var data = RealData(45);
        var gan = new TinyGan(1);
        var history = AdversarialTrainer.Fit(gan.DiscriminatorLoss, new Adam(gan.D.Parameters(), 1e-2),
            gan.GeneratorLoss, new Adam(gan.G.Parameters(), 1e-2), data, epochs: 3, batchSize: 10, new Generator(9), discriminatorSteps: 2);

        // The reference: Algorithm 1 by hand, with the same shuffles and noise.
        var reference = new TinyGan(1);
        var (dOptimizer, gOptimizer) = (new Adam(reference.D.Parameters(), 1e-2), new Adam(reference.G.Parameters(), 1e-2));
        var shuffles = new Generator(9);
        var rows = data.ToArray();
        var (dLosses, gLosses) = (new List<float>(), new List<float>());
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var order = shuffles.Permutation(45);
            for (var start = 0; start < 45; start += 10)
            {
                var size = Math.Min(10, 45 - start);
                var batch = Tensor.FromArray(Enumerable.Range(start, size).Select(i => rows[order[i]]).ToArray(), size, 1);
                dOptimizer.ZeroGrad();
                var dLoss = reference.DiscriminatorLoss(batch);
                dLoss.Backward();
                dOptimizer.Step();
                dLosses.Add(dLoss.Item());
                if (dLosses.Count % 2 == 0)
                {
                    gOptimizer.ZeroGrad();
                    var gLoss = reference.GeneratorLoss(batch);
                    gLoss.Backward();
                    gOptimizer.Step();
                    gLosses.Add(gLoss.Item());
                }
            }
        }

        Assert.Equal(dLosses, history.DiscriminatorStepLosses);
        Assert.Equal(gLosses, history.GeneratorStepLosses);
        Assert.Equal(7, gLosses.Count); // 15 discriminator steps, a generator step after every second
        Assert.Equal(reference.G.Weight.ToArray(), gan.G.Weight.ToArray());
        Assert.Equal(reference.D.Weight.ToArray(), gan.D.Weight.ToArray());
        Assert.Equal(5, history.StepsPerEpoch);
        Assert.Equal(dLosses.Take(5).Average(v => (double)v), history.DiscriminatorEpochLosses[0], 1e-12);
    }

    [Fact]
    public void Fit_OneEpoch_ChangesBothPlayers_AndTheDiscriminatorStepLeavesTheGeneratorWithoutGradient()
    {
        var gan = new TinyGan(2);
        var (g0, d0) = (gan.G.Weight.ToArray(), gan.D.Weight.ToArray());

        gan.DiscriminatorLoss(RealData(8)).Backward();
        Assert.Null(gan.G.Weight.Grad); // the fake examples were detached
        Assert.NotNull(gan.D.Weight.Grad);

        AdversarialTrainer.Fit(gan.DiscriminatorLoss, new Sgd(gan.D.Parameters(), 0.1), gan.GeneratorLoss,
            new Sgd(gan.G.Parameters(), 0.1), RealData(8), epochs: 1, batchSize: 4, new Generator(3));

        Assert.NotEqual(g0, gan.G.Weight.ToArray());
        Assert.NotEqual(d0, gan.D.Weight.ToArray());
    }

    [Fact]
    public void Fit_Progress_ReportsBothLossesAndEndsWithTheEpochMeansAndNoTiming()
    {
        var gan = new TinyGan(3);
        var reports = new List<AdversarialProgress>();

        var history = AdversarialTrainer.Fit(gan.DiscriminatorLoss, new Adam(gan.D.Parameters(), 1e-2), gan.GeneratorLoss,
            new Adam(gan.G.Parameters(), 1e-2), RealData(40), epochs: 2, batchSize: 5, new Generator(4), progress: reports.Add, reportEvery: 3);

        Assert.Equal(2 * 3, reports.Count); // steps 3 and 6 of 8, then the epoch's end, in each epoch
        var last = reports[^1];
        Assert.True(last.IsFinished);
        Assert.Null(last.StepsPerSecond);
        Assert.Equal(history.DiscriminatorEpochLosses[^1], last.DiscriminatorLoss);
        Assert.Equal(history.GeneratorEpochLosses[^1], last.GeneratorLoss);
        Assert.Matches(@"^\[#{20}\] epoch 2/2, step 8/8, D loss \d+\.\d{3}, G loss \d+\.\d{3}$", last.ToPlainText());
        Assert.Equal("[--------------------] starting", AdversarialProgress.Start.ToPlainText());
    }

    [Fact]
    public void Fit_GeneratorLossNotFinite_ThrowsNamingThePlayerEpochAndStep()
    {
        var gan = new TinyGan(4);

        var error = Assert.Throws<InvalidOperationException>(() => AdversarialTrainer.Fit(gan.DiscriminatorLoss,
            new Sgd(gan.D.Parameters(), 0.1), x => gan.GeneratorLoss(x) * float.NaN, new Sgd(gan.G.Parameters(), 0.1),
            RealData(8), epochs: 1, batchSize: 4, new Generator(1), discriminatorSteps: 2));

        Assert.Contains("the generator's loss became NaN at epoch 1, step 2", error.Message);
    }

    [Fact]
    public void Fit_BadArguments_ThrowNamingThem()
    {
        var gan = new TinyGan(5);
        var (d, g) = (new Sgd(gan.D.Parameters(), 0.1), new Sgd(gan.G.Parameters(), 0.1));

        Assert.Throws<ArgumentOutOfRangeException>(() => AdversarialTrainer.Fit(gan.DiscriminatorLoss, d, gan.GeneratorLoss, g,
            RealData(8), epochs: 1, batchSize: 4, new Generator(1), discriminatorSteps: 0));
        var notScalar = Assert.Throws<ArgumentException>(() => AdversarialTrainer.Fit(x => gan.D.Forward(x), d, gan.GeneratorLoss, g,
            RealData(8), epochs: 1, batchSize: 4, new Generator(1)));
        Assert.Contains("the discriminator's loss must be one element, but it has shape (4, 1)", notScalar.Message);
        Assert.Contains("has no examples", Assert.Throws<ArgumentException>(() => AdversarialTrainer.Fit(gan.DiscriminatorLoss, d,
            gan.GeneratorLoss, g, Tensor.Zeros(0, 1), epochs: 1, batchSize: 4, new Generator(1))).Message);
    }
}
