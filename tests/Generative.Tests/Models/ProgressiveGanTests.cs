using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class ProgressiveGanTests
{
    [Theory]
    [InlineData(0, 1.0, 7)]
    [InlineData(1, 0.3, 14)]
    [InlineData(2, 1.0, 28)]
    public void Networks_WorkAtTheStagesResolution(int stage, double alpha, int side)
    {
        var gan = new ProgressiveGan(8, channels: 4, new Generator(1));
        gan.Grow(stage, alpha);
        var z = gan.SampleLatent(3, new Generator(2));

        var images = gan.Generate(z);

        Assert.Equal([3, 1, side, side], images.Shape);
        Assert.Equal([3, 1], gan.Discriminate(images).Shape);
        var samples = gan.SampleFrom(z);
        Assert.Equal([3, 784], samples.Shape);
        Assert.All(samples.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Grow_AtAlphaZero_ComputesWhatTheSmallerNetworksDid(int stage)
    {
        var gan = new ProgressiveGan(8, channels: 4, new Generator(3));
        var z = gan.SampleLatent(4, new Generator(4));
        gan.Grow(stage - 1, 1);
        var before = gan.Generate(z);
        var beforeScores = gan.Discriminate(before);

        gan.Grow(stage, 0);
        var after = gan.Generate(z);

        Assert.Equal(Resample.Upsample2x(before).ToArray(), after.ToArray());
        // D reads the upsampled image as the smaller D read the original (pooling four equal floats may round once).
        var afterScores = gan.Discriminate(after).ToArray();
        Assert.All(beforeScores.ToArray().Zip(afterScores), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
    }

    [Fact]
    public void RealImages_ArePooledToTheResolution_AndBlendedDuringTheFadeIn()
    {
        var gan = new ProgressiveGan(8, channels: 4, new Generator(5));
        var rows = Tensor.Rand([2, 784], new Generator(6)) * 2f - 1f;
        var full = rows.Reshape(2, 1, 28, 28);
        var (at14, at7) = (Resample.AveragePool2x(full), Resample.AveragePool2x(Resample.AveragePool2x(full)));

        Assert.Equal(at7.ToArray(), gan.RealImages(rows).ToArray());
        gan.Grow(1, 0.25);
        var expected = (at14 * 0.25f + Resample.Upsample2x(at7) * 0.75f).ToArray();
        Assert.All(expected.Zip(gan.RealImages(rows).ToArray()), pair => Assert.Equal(pair.First, pair.Second, 1e-6f));
        gan.Grow(2, 1);
        Assert.Equal(full.ToArray(), gan.RealImages(rows).ToArray());
    }

    [Fact]
    public void TinyEpoch_DuringAFadeIn_EachPlayerLowersItsLoss()
    {
        var gan = new ProgressiveGan(8, channels: 4, new Generator(7));
        gan.Grow(2, 0.5);
        var real = gan.RealImages(Tensor.Rand([8, 784], new Generator(8)) * 2f - 1f);
        var z = gan.SampleLatent(8, new Generator(9));
        var (dOpt, gOpt) = (new Adam(gan.DiscriminatorNetwork.Parameters(), 2e-3), new Adam(gan.GeneratorNetwork.Parameters(), 2e-3));
        double DLoss() { using (Tensor.NoGrad()) { return gan.DiscriminatorLoss(real, gan.Generate(z)).Item(); } }
        double GLoss() { using (Tensor.NoGrad()) { return gan.GeneratorLoss(gan.Generate(z)).Item(); } }

        var before = DLoss();
        for (var step = 0; step < 3; step++)
        {
            dOpt.ZeroGrad();
            gan.DiscriminatorLoss(real, gan.Generate(z)).Backward();
            dOpt.Step();
        }
        Assert.True(DLoss() < before, $"D's loss went from {before} to {DLoss()}");

        before = GLoss();
        for (var step = 0; step < 3; step++)
        {
            gOpt.ZeroGrad();
            gan.GeneratorLoss(gan.Generate(z)).Backward();
            gOpt.Step();
        }
        Assert.True(GLoss() < before, $"G's loss went from {before} to {GLoss()}");
    }

    [Fact]
    public void BadStagesAndInputs_AreNamed()
    {
        var gan = new ProgressiveGan(8, channels: 4, new Generator(10));

        Assert.Throws<ArgumentOutOfRangeException>(() => gan.Grow(3, 1));
        Assert.Contains("be 1 at stage 0", Assert.Throws<ArgumentOutOfRangeException>(() => gan.Grow(0, 0.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gan.Grow(1, 1.5));
        gan.Grow(1, 1);
        Assert.Contains("(N, 1, 14, 14)", Assert.Throws<ArgumentException>(() => gan.Discriminate(Tensor.Zeros([2, 1, 28, 28]))).Message);
        Assert.Contains("(N, 784)", Assert.Throws<ArgumentException>(() => gan.RealImages(Tensor.Zeros([2, 100]))).Message);
    }
}
