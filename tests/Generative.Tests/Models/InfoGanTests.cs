using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class InfoGanTests
{
    [Fact]
    public void SampleCodes_FollowTheirPriors()
    {
        var gan = new InfoGan(8, categories: 4, continuousCodes: 2, new Generator(1));

        var codes = gan.SampleCodes(4000, new Generator(2));

        Assert.All(codes.Categories, c => Assert.InRange(c, 0, 3));
        Assert.All(Enumerable.Range(0, 4), c => Assert.InRange(codes.Categories.Count(v => v == c), 900, 1100));
        var continuous = codes.Continuous.ToArray();
        Assert.All(continuous, v => Assert.InRange(v, -1f, 1f));
        // Uniform on [−1, 1]: mean 0, variance 1/3.
        Assert.Equal(0, continuous.Average(), 0.03);
        Assert.Equal(1.0 / 3, continuous.Average(v => v * v), 0.02);
    }

    [Fact]
    public void InformationLoss_IsCrossEntropyPlusWeightedSquaredError()
    {
        var gan = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(3));
        gan.Eval();
        var codes = gan.SampleCodes(5, new Generator(4));
        var fake = gan.Generate(gan.SampleLatent(5, new Generator(5)), codes);
        var (logits, means) = gan.PredictCodes(fake);
        var (l, m, c) = (logits.ToArray(), means.ToArray(), codes.Continuous.ToArray());

        double crossEntropy = 0, squared = 0;
        for (var n = 0; n < 5; n++)
        {
            var row = l.AsSpan(3 * n, 3).ToArray().Select(v => (double)v).ToArray();
            var logSum = Math.Log(row.Sum(Math.Exp));
            crossEntropy += logSum - row[codes.Categories[n]];
            squared += 0.5 * ((c[2 * n] - m[2 * n]) * (c[2 * n] - m[2 * n]) + (c[2 * n + 1] - m[2 * n + 1]) * (c[2 * n + 1] - m[2 * n + 1]));
        }

        Assert.Equal(crossEntropy / 5 + 0.1 * squared / 5, gan.InformationLoss(fake, codes).Item(), 1e-5);
        Assert.Equal(Math.Log(3) - crossEntropy / 5, gan.CategoricalInformationBound(fake, codes), 1e-5);
    }

    [Fact]
    public void InformationLoss_Backward_ReachesGAndQ_AndTrainingBothLowersIt()
    {
        var gan = new InfoGan(8, categories: 3, continuousCodes: 1, new Generator(6));
        var optimizer = new Adam(gan.GeneratorParameters.Concat(gan.DiscriminatorParameters), 2e-3);
        var codes = gan.SampleCodes(12, new Generator(7));
        var z = gan.SampleLatent(12, new Generator(8));

        gan.InformationLoss(gan.Generate(z, codes), codes).Backward();
        // Everything but D's real-or-fake layer (the last weight and bias of D's parameters) serves the bound.
        var dLast = gan.DiscriminatorNetwork.Parameters().TakeLast(2).ToHashSet();
        Assert.All(gan.GeneratorParameters.Concat(gan.DiscriminatorParameters).Where(p => !dLast.Contains(p)), p => Assert.NotNull(p.Grad));
        Assert.All(dLast, p => Assert.Null(p.Grad));

        double Loss() { using (Tensor.NoGrad()) { return gan.InformationLoss(gan.Generate(z, codes), codes).Item(); } }
        var before = Loss();
        for (var step = 0; step < 5; step++)
        {
            optimizer.ZeroGrad();
            gan.InformationLoss(gan.Generate(z, codes), codes).Backward();
            optimizer.Step();
        }
        Assert.True(Loss() < before, $"the information loss went from {before} to {Loss()}");
    }

    [Fact]
    public void DiscriminatorLoss_TrainsDAndQ_LeavesGAlone_AddsTheInformationLoss()
    {
        var gan = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(9));
        var codes = gan.SampleCodes(4, new Generator(10));
        var fake = gan.Generate(gan.SampleLatent(4, new Generator(11)), codes);
        var real = Tensor.Zeros([4, 1, 28, 28]);

        var loss = gan.DiscriminatorLoss(real, fake, codes);
        loss.Backward();

        Assert.All(gan.GeneratorNetwork.Parameters(), p => Assert.Null(p.Grad));
        Assert.All(gan.DiscriminatorParameters, p => Assert.NotNull(p.Grad));
        // The same sum from the parts, each in evaluation mode so the batch statistics do not depend on the order.
        gan.Eval();
        var parts = AdversarialLoss.Discriminator(gan.Discriminate(real), gan.Discriminate(fake)).Item() + gan.InformationLoss(fake, codes).Item();
        Assert.Equal(parts, gan.DiscriminatorLoss(real, fake, codes).Item(), 1e-5);
    }

    [Fact]
    public void GeneratorLoss_IsNonSaturatingPlusInformation_AndReachesG()
    {
        var gan = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(13));
        var codes = gan.SampleCodes(4, new Generator(14));
        var fake = gan.Generate(gan.SampleLatent(4, new Generator(15)), codes);

        gan.GeneratorLoss(fake, codes).Backward();

        Assert.All(gan.GeneratorParameters, p => Assert.NotNull(p.Grad));
        gan.Eval();
        var parts = AdversarialLoss.NonSaturating(gan.Discriminate(fake)).Item() + gan.InformationLoss(fake, codes).Item();
        Assert.Equal(parts, gan.GeneratorLoss(fake, codes).Item(), 1e-5);
    }

    [Fact]
    public void SampleWith_IsInUnitRange_AndRepeatsForTheSameGenerator()
    {
        var gan = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(9));
        var codes = gan.SampleCodes(4, new Generator(10));

        var samples = gan.SampleWith(codes, new Generator(12));

        Assert.Equal([4, 784], samples.Shape);
        Assert.All(samples.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(samples.ToArray(), gan.SampleWith(codes, new Generator(12)).ToArray());
        Assert.Equal(samples.ToArray(), gan.SampleFrom(gan.SampleLatent(4, new Generator(12)), codes).ToArray());
        Assert.True(gan.GeneratorNetwork.Training);
    }

    [Fact]
    public void PerturbForQ_ShiftsEachImageWithinRange_FillsWithBackground_AndNeedsAGenerator()
    {
        var plain = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(16));
        var images = Tensor.Rand([6, 1, 28, 28], new Generator(17)) * 2f - 1f;
        Assert.Same(images, plain.PerturbForQ(images, null));

        var gan = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(16)) { QShift = 2 };
        var shifted = gan.PerturbForQ(images, new Generator(18)).ToArray();
        var source = images.ToArray();
        for (var n = 0; n < 6; n++)
        {
            // Some (dy, dx) in [−2, 2]² explains every pixel: the source pixel (y + dy, x + dx), or −1 beyond the border.
            bool Explains(int dy, int dx) => Enumerable.Range(0, 784).All(i =>
            {
                var (y, x) = (i / 28 + dy, i % 28 + dx);
                var expected = y is >= 0 and < 28 && x is >= 0 and < 28 ? source[n * 784 + y * 28 + x] : -1f;
                return shifted[n * 784 + i] == expected;
            });
            Assert.Contains(Enumerable.Range(-2, 5).SelectMany(dy => Enumerable.Range(-2, 5).Select(dx => (dy, dx))), d => Explains(d.dy, d.dx));
        }
        Assert.Equal(shifted, gan.PerturbForQ(images, new Generator(18)).ToArray());
        var error = Assert.Throws<ArgumentNullException>(() => gan.InformationLoss(images, gan.SampleCodes(6, new Generator(19))));
        Assert.Contains("QShift = 2", error.Message);

        var noisy = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(16)) { QNoise = 0.5 };
        var noise = (noisy.PerturbForQ(images, new Generator(20)) - images).ToArray();
        Assert.Equal(0.5, Math.Sqrt(noise.Average(v => v * v)), 0.02);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InfoGan(8, 3, 2) { QShift = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new InfoGan(8, 3, 2) { QNoise = -0.1 });
    }

    [Fact]
    public void Generate_CodesThatDoNotFit_AreNamed()
    {
        var gan = new InfoGan(8, categories: 3, continuousCodes: 2, new Generator(1));
        var z = gan.SampleLatent(2, new Generator(2));
        var error = Assert.Throws<ArgumentException>(() => gan.Generate(z, new InfoGanCodes([0, 1], Tensor.Zeros([2, 3]))));
        Assert.Contains("must be (N, 8) and (N, 2)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gan.Generate(z, new InfoGanCodes([0, 5], Tensor.Zeros([2, 2]))));
        var fake = gan.Generate(z, new InfoGanCodes([0, 1], Tensor.Zeros([2, 2])));
        var mismatch = Assert.Throws<ArgumentException>(() => gan.InformationLoss(fake, new InfoGanCodes([0, 1, 2], Tensor.Zeros([3, 2]))));
        Assert.Contains("3 codes for 2 images", mismatch.Message);
    }
}
