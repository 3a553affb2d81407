using Generative.Data;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Tests.Models;

public class MlpGanTests
{
    private static double LogSigmoid(double logit) => -Math.Log(1 + Math.Exp(-logit));

    [Fact]
    public void Networks_HaveTheDocumentedShapes()
    {
        var plain = new MlpGan(dimensions: 2, latentDimensions: 3, hiddenUnits: 8, hiddenLayers: 3, generator: new Generator(1));
        var withStd = new MlpGan(dimensions: 2, latentDimensions: 3, hiddenUnits: 8, hiddenLayers: 3, minibatchStdDev: true, generator: new Generator(1));

        var points = plain.Sample(5, new Generator(2));

        Assert.Equal([5, 2], points.Shape);
        Assert.Equal([5, 1], plain.Discriminate(points).Shape);
        Assert.Equal([5, 1], withStd.Discriminate(points).Shape);
        // G: 3 → 8 → 8 → 8 → 2. D: 2 → 8 → 8 → 8 → 1, each hidden layer after the first one input wider with the statistic.
        Assert.Equal(new[] { 8 * 3 + 8, 8 * 8 + 8, 8 * 8 + 8, 2 * 8 + 2 }, plain.GeneratorNetwork.Parameters().Chunk(2).Select(p => p[0].Count + p[1].Count));
        Assert.Equal(new[] { 8 * 2 + 8, 8 * 8 + 8, 8 * 8 + 8, 8 + 1 }, plain.DiscriminatorNetwork.Parameters().Chunk(2).Select(p => p[0].Count + p[1].Count));
        Assert.Equal(new[] { 8 * 2 + 8, 8 * 9 + 8, 8 * 9 + 8, 8 + 1 }, withStd.DiscriminatorNetwork.Parameters().Chunk(2).Select(p => p[0].Count + p[1].Count));
        Assert.Equal(points.ToArray(), plain.Sample(5, new Generator(2)).ToArray());
    }

    [Fact]
    public void Losses_AreTheCrossEntropiesOfTheLogits()
    {
        var gan = new MlpGan(dimensions: 1, latentDimensions: 1, hiddenUnits: 8, hiddenLayers: 2, generator: new Generator(1));
        var real = Tensor.FromArray([0.5f, -1f, 2f, 0f], 4, 1);
        var fake = gan.Generate(gan.SampleLatent(3, new Generator(2)));
        var realLogits = gan.Discriminate(real).ToArray();
        var fakeLogits = gan.Discriminate(fake).ToArray();

        Assert.Equal(-realLogits.Average(l => LogSigmoid(l)) - fakeLogits.Average(l => LogSigmoid(-l)), gan.DiscriminatorLoss(real, fake).Item(), 1e-5);
        Assert.Equal(-fakeLogits.Average(l => LogSigmoid(l)), gan.GeneratorLoss(fake).Item(), 1e-5);
        // log(1 − σ(l)) = log σ(−l).
        Assert.Equal(fakeLogits.Average(l => LogSigmoid(-l)), gan.SaturatingGeneratorLoss(fake).Item(), 1e-5);
    }

    [Fact]
    public void SaturatingLoss_ConfidentDiscriminator_HasAVanishingGradient()
    {
        // At D(G(z)) = σ(l): the saturating loss's gradient with respect to l is −σ(l), the non-saturating one's
        // −(1 − σ(l)); for a fake rejected with confidence (l = −7, σ ≈ 0.0009) the first vanishes.
        var logits = Tensor.FromArray([-7f], 1, 1);
        logits.RequiresGrad = true;
        AdversarialLoss.Saturating(logits).Backward();
        var saturating = logits.Grad!.Item();
        logits.Grad = null;
        AdversarialLoss.NonSaturating(logits).Backward();

        Assert.Equal(-1 / (1 + Math.Exp(7)), saturating, 1e-7);
        Assert.Equal(-1 / (1 + Math.Exp(-7)), logits.Grad!.Item(), 1e-6);
    }

    [Fact]
    public void MinibatchStdDev_DiscriminatorSeesTheBatch()
    {
        // The same point scored inside a varied batch and inside a batch of copies of itself gets different logits.
        var gan = new MlpGan(dimensions: 2, hiddenUnits: 8, hiddenLayers: 2, minibatchStdDev: true, generator: new Generator(1));
        var varied = Tensor.FromArray([0f, 0f, 2f, 2f, -2f, 1f], 3, 2);
        var copies = Tensor.FromArray([0f, 0f, 0f, 0f, 0f, 0f], 3, 2);

        Assert.NotEqual(gan.Discriminate(varied).ToArray()[0], gan.Discriminate(copies).ToArray()[0]);
        var plain = new MlpGan(dimensions: 2, hiddenUnits: 8, hiddenLayers: 2, generator: new Generator(1));
        Assert.Equal(plain.Discriminate(varied).ToArray()[0], plain.Discriminate(copies).ToArray()[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_OneTinyEpoch_EachPlayerLowersItsLossAgainstTheOther(bool minibatchStdDev)
    {
        var ring = Toy2D.Ring8().Sample(200, new Generator(1)).ToTensor();
        var gan = new MlpGan(hiddenUnits: 16, hiddenLayers: 2, minibatchStdDev: minibatchStdDev, generator: new Generator(2));
        var (dOpt, gOpt) = (new Adam(gan.DiscriminatorNetwork.Parameters(), 1e-2), new Adam(gan.GeneratorNetwork.Parameters(), 1e-2));
        var z = gan.SampleLatent(200, new Generator(3));
        double DLoss() { using (Tensor.NoGrad()) { return gan.DiscriminatorLoss(ring, gan.Generate(z)).Item(); } }
        double GLoss() { using (Tensor.NoGrad()) { return gan.GeneratorLoss(gan.Generate(z)).Item(); } }

        // D alone, G fixed: one epoch of 10 batches of 20.
        var before = DLoss();
        Trainer.Fit(real => gan.DiscriminatorLoss(real, gan.Generate(z.Slice(0, 0, real.Size(0)))), dOpt, ring, epochs: 1, batchSize: 20, new Generator(4));
        Assert.True(DLoss() < before, $"D's loss {DLoss()} did not fall below {before}");

        // G alone, D fixed.
        before = GLoss();
        Trainer.Fit(real => gan.GeneratorLoss(gan.Generate(z.Slice(0, 0, real.Size(0)))), gOpt, ring, epochs: 1, batchSize: 20, new Generator(5));
        Assert.True(GLoss() < before, $"G's loss {GLoss()} did not fall below {before}");

        // One alternating step moves both.
        var (gBefore, dBefore) = (gan.GeneratorNetwork.Parameters().First().ToArray(), gan.DiscriminatorNetwork.Parameters().First().ToArray());
        var noise = new Generator(6);
        AdversarialTrainer.Fit(real => gan.DiscriminatorLoss(real, gan.Generate(gan.SampleLatent(real.Size(0), noise))), dOpt,
            real => gan.GeneratorLoss(gan.Generate(gan.SampleLatent(real.Size(0), noise))), gOpt, ring.Slice(0, 0, 20), epochs: 1, batchSize: 20, noise);
        Assert.NotEqual(gBefore, gan.GeneratorNetwork.Parameters().First().ToArray());
        Assert.NotEqual(dBefore, gan.DiscriminatorNetwork.Parameters().First().ToArray());
    }

    [Fact]
    public void Constructor_BadSizes_AreNamed()
    {
        Assert.Equal("dimensions", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpGan(dimensions: 0)).ParamName);
        Assert.Equal("hiddenLayers", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpGan(hiddenLayers: 0)).ParamName);
        Assert.Equal("latentDimensions", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpGan(latentDimensions: 0)).ParamName);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => new MlpGan(hiddenLayers: 1, minibatchStdDev: true)).Message);
    }
}
