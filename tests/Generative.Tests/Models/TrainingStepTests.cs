using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>The translators' one-step training (G first, then D on the same translations).</summary>
public class TrainingStepTests
{
    private static Tensor Images(int count, ulong seed) => Tensor.Rand([count, 1, 28, 28], new Generator(seed)) * 2f - 1f;

    private static float[][] Snapshot(IEnumerable<Tensor> parameters) => [.. parameters.Select(p => p.ToArray())];

    private static void AssertAllMoved(float[][] before, IEnumerable<Tensor> parameters, string player) =>
        Assert.All(parameters.Zip(before), pair => Assert.False(pair.First.ToArray().SequenceEqual(pair.Second), $"a parameter of the {player} did not move"));

    private static (Adam Generator, Adam Discriminator) Optimizers(IEnumerable<Tensor> generator, IEnumerable<Tensor> discriminator) =>
        (new Adam(generator, 1e-3), new Adam(discriminator, 1e-3));

    [Fact]
    public void CycleGanTrainingStep_ReportsTheLossesBeforeTheStep_AndMovesEveryParameterOfBothPlayers()
    {
        var gan = new CycleGan(channels: 4, new Generator(1));
        var (a, b) = (Images(4, 2), Images(4, 3));
        double expected;
        using (Tensor.NoGrad())
        {
            expected = gan.GeneratorLoss(a, b).Losses.Total.Item();
        }
        var (generators, discriminators) = (Snapshot(gan.GeneratorParameters), Snapshot(gan.DiscriminatorParameters));
        var (gOpt, dOpt) = Optimizers(gan.GeneratorParameters, gan.DiscriminatorParameters);

        var (losses, discriminatorLoss) = gan.TrainingStep(a, b, gOpt, dOpt);

        Assert.Equal(expected, losses.Total.Item(), 1e-5);
        Assert.True(float.IsFinite(discriminatorLoss.Item()) && discriminatorLoss.Item() > 0);
        AssertAllMoved(generators, gan.GeneratorParameters, "generators");
        AssertAllMoved(discriminators, gan.DiscriminatorParameters, "discriminators");
    }

    [Fact]
    public void StarGanTrainingStep_ReportsTheLossesBeforeTheStep_AndMovesEveryParameterOfBothPlayers()
    {
        var gan = new StarGan(domains: 3, channels: 4, new Generator(4));
        var x = Images(3, 5);
        int[] domains = [0, 1, 2], targets = [1, 2, 0];
        double expected;
        using (Tensor.NoGrad())
        {
            expected = gan.GeneratorLoss(x, domains, targets).Losses.Total.Item();
        }
        var (generator, discriminator) = (Snapshot(gan.GeneratorParameters), Snapshot(gan.DiscriminatorParameters));
        var (gOpt, dOpt) = Optimizers(gan.GeneratorParameters, gan.DiscriminatorParameters);

        var (losses, _) = gan.TrainingStep(x, domains, targets, gOpt, dOpt);

        Assert.Equal(expected, losses.Total.Item(), 1e-5);
        AssertAllMoved(generator, gan.GeneratorParameters, "generator");
        AssertAllMoved(discriminator, gan.DiscriminatorParameters, "discriminator");
    }

    [Fact]
    public void PuzzleGanTrainingStep_ReportsTheLossesBeforeTheStep_AndMovesEveryParameterOfBothPlayers()
    {
        var gan = new PuzzleGan(channels: 4, new Generator(6));
        var x = Images(4, 7);
        var masks = PuzzleGan.SampleMasks(4, 2, new Generator(8));
        double expected;
        using (Tensor.NoGrad())
        {
            expected = gan.GeneratorLoss(x, masks).Losses.Total.Item();
        }
        var (generator, discriminator) = (Snapshot(gan.GeneratorParameters), Snapshot(gan.DiscriminatorParameters));
        var (gOpt, dOpt) = Optimizers(gan.GeneratorParameters, gan.DiscriminatorParameters);

        var (losses, _) = gan.TrainingStep(x, masks, gOpt, dOpt);

        Assert.Equal(expected, losses.Total.Item(), 1e-5);
        AssertAllMoved(generator, gan.GeneratorParameters, "generator");
        AssertAllMoved(discriminator, gan.DiscriminatorParameters, "discriminator");
    }
}
