using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class CycleGanTests
{
    private static Tensor Images(int count, ulong seed) => Tensor.Rand([count, 1, 28, 28], new Generator(seed)) * 2f - 1f;

    [Fact]
    public void CycleLoss_IdentityGenerators_IsZero()
    {
        var defaults = new CycleGan(channels: 4, new Generator(1));
        var gan = new CycleGan(new Identity(), new Identity(), defaults.DiscriminatorA, defaults.DiscriminatorB);

        Assert.Equal(0.0, gan.CycleLoss(Images(3, 2), Images(3, 3)).Item());
        var (losses, _, _) = gan.GeneratorLoss(Images(3, 2), Images(3, 3));
        Assert.Equal(0.0, losses.Cycle.Item());
        Assert.Equal(0.0, losses.Identity.Item());
    }

    [Fact]
    public void CycleLoss_GeneratorsThatDoNotInvert_IsTheMeanAbsoluteChange()
    {
        // G = identity, F = tanh: both cycles apply tanh once, so the loss is mean|tanh(a) − a| + mean|tanh(b) − b|.
        var defaults = new CycleGan(channels: 4, new Generator(1));
        var gan = new CycleGan(new Identity(), new Tanh(), defaults.DiscriminatorA, defaults.DiscriminatorB);
        var (a, b) = (Images(2, 4) * 3f, Images(2, 5) * 3f);

        double expected = a.ToArray().Average(v => Math.Abs(Math.Tanh(v) - v)) + b.ToArray().Average(v => Math.Abs(Math.Tanh(v) - v));

        Assert.Equal(expected, gan.CycleLoss(a, b).Item(), 1e-5);
    }

    [Fact]
    public void GeneratorLoss_IsTheWeightedSumOfItsParts_AndDiscriminatorLossLeavesTheGeneratorsAlone()
    {
        var gan = new CycleGan(channels: 4, new Generator(6)) { CycleWeight = 10, IdentityWeight = 5 };
        var (a, b) = (Images(4, 7), Images(4, 8));

        var (losses, fakeA, fakeB) = gan.GeneratorLoss(a, b);

        Assert.Equal(losses.Adversarial.Item() + 10 * losses.Cycle.Item() + 5 * losses.Identity.Item(), losses.Total.Item(), 1e-4);
        Assert.Equal([4, 1, 28, 28], fakeA.Shape);
        Assert.Equal([4, 1, 7, 7], gan.DiscriminatorB.Forward(fakeB).Shape);
        gan.DiscriminatorLoss(a, b, fakeA, fakeB).Backward();
        Assert.All(gan.GeneratorParameters, p => Assert.Null(p.Grad));
        Assert.All(gan.DiscriminatorParameters, p => Assert.NotNull(p.Grad));
        losses.Total.Backward();
        Assert.All(gan.GeneratorParameters, p => Assert.NotNull(p.Grad));
    }

    [Fact]
    public void TinyEpoch_EachPlayerLowersItsLoss()
    {
        var gan = new CycleGan(channels: 4, new Generator(9));
        var (a, b) = (Images(8, 10), Images(8, 11).Neg());
        var (dOpt, gOpt) = (new Adam(gan.DiscriminatorParameters, 2e-3), new Adam(gan.GeneratorParameters, 2e-3));
        double GLoss() { using (Tensor.NoGrad()) { return gan.GeneratorLoss(a, b).Losses.Total.Item(); } }
        double DLoss() { using (Tensor.NoGrad()) { var (_, fakeA, fakeB) = gan.GeneratorLoss(a, b); return gan.DiscriminatorLoss(a, b, fakeA, fakeB).Item(); } }

        var before = GLoss();
        for (var step = 0; step < 5; step++)
        {
            gOpt.ZeroGrad();
            gan.GeneratorLoss(a, b).Losses.Total.Backward();
            gOpt.Step();
        }
        Assert.True(GLoss() < before, $"the generators' loss went from {before} to {GLoss()}");

        before = DLoss();
        for (var step = 0; step < 5; step++)
        {
            var (_, fakeA, fakeB) = gan.GeneratorLoss(a, b);
            dOpt.ZeroGrad();
            gan.DiscriminatorLoss(a, b, fakeA, fakeB).Backward();
            dOpt.Step();
        }
        Assert.True(DLoss() < before, $"the discriminators' loss went from {before} to {DLoss()}");
    }

    [Fact]
    public void Translate_RowsInUnitRange_RestoresTrainingMode_AndNamesBadInput()
    {
        var gan = new CycleGan(channels: 4, new Generator(12));
        var rows = Tensor.Rand([3, 784], new Generator(13));

        var translated = gan.TranslateAToB(rows);

        Assert.Equal([3, 784], translated.Shape);
        Assert.All(translated.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.True(gan.GeneratorAB.Training);
        Assert.Contains("(3, 28, 28)", Assert.Throws<ArgumentException>(() => gan.TranslateBToA(Tensor.Zeros([3, 28, 28]))).Message);
        Assert.Contains("realA must be images (N, 1, 28, 28)", Assert.Throws<ArgumentException>(() => gan.CycleLoss(Tensor.Zeros([2, 784]), Images(2, 1))).Message);
    }
}
