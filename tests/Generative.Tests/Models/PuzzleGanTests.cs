using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class PuzzleGanTests
{
    private static Tensor Images(int count, ulong seed) => Tensor.Rand([count, 1, 28, 28], new Generator(seed)) * 2f - 1f;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void SampleMasks_KeepWholeQuadrants(int kept)
    {
        var masks = PuzzleGan.SampleMasks(20, kept, new Generator(1)).ToArray();

        for (var n = 0; n < 20; n++)
        {
            var quadrants = 0;
            for (var q = 0; q < 4; q++)
            {
                var (top, left) = (q / 2 * 14, q % 2 * 14);
                var values = Enumerable.Range(0, 196).Select(i => masks[n * 784 + (top + i / 14) * 28 + left + i % 14]).Distinct().ToArray();
                Assert.Single(values);
                quadrants += values[0] == 1f ? 1 : 0;
            }
            Assert.Equal(kept, quadrants);
        }
    }

    [Fact]
    public void Generate_NeverSeesHiddenPixels_AndCompleteKeepsTheParts()
    {
        var gan = new PuzzleGan(channels: 4, new Generator(2));
        gan.Eval();
        var masks = PuzzleGan.SampleMasks(3, 2, new Generator(3));
        var x = Images(3, 4);
        var changedWhereHidden = x * masks + Images(3, 5) * (1f - masks);

        Assert.Equal(gan.Generate(x, masks).ToArray(), gan.Generate(changedWhereHidden, masks).ToArray());
        var completed = gan.Complete(x, masks).ToArray();
        var (xs, ms) = (x.ToArray(), masks.ToArray());
        Assert.All(Enumerable.Range(0, xs.Length).Where(i => ms[i] == 1f), i => Assert.Equal(xs[i], completed[i]));
    }

    [Fact]
    public void GeneratorLoss_IsItsWeightedParts_TinyEpoch_EachPlayerLowersItsLoss()
    {
        var gan = new PuzzleGan(channels: 4, new Generator(6)) { ReconstructionWeight = 10 };
        var x = Images(8, 7);
        var masks = PuzzleGan.SampleMasks(8, 2, new Generator(8));
        var (first, _) = gan.GeneratorLoss(x, masks);
        Assert.Equal(first.Adversarial.Item() + 10 * first.Reconstruction.Item(), first.Total.Item(), 1e-4);

        var (dOpt, gOpt) = (new Adam(gan.DiscriminatorParameters, 2e-3), new Adam(gan.GeneratorParameters, 2e-3));
        double GLoss() { using (Tensor.NoGrad()) { return gan.GeneratorLoss(x, masks).Losses.Total.Item(); } }
        double DLoss() { using (Tensor.NoGrad()) { return gan.DiscriminatorLoss(x, gan.Complete(x, masks)).Item(); } }
        var before = GLoss();
        for (var step = 0; step < 5; step++)
        {
            gOpt.ZeroGrad();
            gan.GeneratorLoss(x, masks).Losses.Total.Backward();
            gOpt.Step();
        }
        Assert.True(GLoss() < before, $"G's loss went from {before} to {GLoss()}");
        before = DLoss();
        gOpt.ZeroGrad();
        for (var step = 0; step < 5; step++)
        {
            dOpt.ZeroGrad();
            gan.DiscriminatorLoss(x, gan.Complete(x, masks)).Backward();
            dOpt.Step();
        }
        Assert.All(gan.GeneratorParameters, p => Assert.Null(p.Grad));
        Assert.True(DLoss() < before, $"D's loss went from {before} to {DLoss()}");
    }

    [Fact]
    public void CompleteRows_KeepsThePartsInUnitRange_AndBadInputIsNamed()
    {
        var gan = new PuzzleGan(channels: 4, new Generator(9));
        var rows = Tensor.Rand([2, 784], new Generator(10));
        var masks = PuzzleGan.SampleMasks(2, 1, new Generator(11));

        var completed = gan.CompleteRows(rows, masks).ToArray();

        var (r, m) = (rows.ToArray(), masks.ToArray());
        Assert.All(Enumerable.Range(0, r.Length), i => Assert.True(m[i] == 0f || Math.Abs(completed[i] - r[i]) < 1e-6, $"pixel {i}"));
        Assert.All(completed, v => Assert.InRange(v, 0f, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => PuzzleGan.SampleMasks(2, 5, new Generator(1)));
        Assert.Contains("masks must be images", Assert.Throws<ArgumentException>(() => gan.CompleteRows(rows, Tensor.Ones([2, 784]))).Message);
    }
}
