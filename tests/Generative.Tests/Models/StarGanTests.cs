using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class StarGanTests
{
    private static Tensor Images(int count, ulong seed) => Tensor.Rand([count, 1, 28, 28], new Generator(seed)) * 2f - 1f;

    [Fact]
    public void Networks_HaveTheDocumentedShapes_AndGReadsTheTarget()
    {
        var gan = new StarGan(domains: 3, channels: 4, new Generator(1));
        gan.Eval();
        var x = Images(2, 2);

        var toFirst = gan.Generate(x, [0, 0]);
        var (patches, domains) = gan.Discriminate(toFirst);

        Assert.Equal([2, 1, 28, 28], toFirst.Shape);
        Assert.Equal([2, 1, 7, 7], patches.Shape);
        Assert.Equal([2, 3], domains.Shape);
        Assert.NotEqual(toFirst.ToArray(), gan.Generate(x, [2, 2]).ToArray());
    }

    [Fact]
    public void Losses_AreTheirDocumentedSums()
    {
        var gan = new StarGan(domains: 3, channels: 4, new Generator(3)) { ClassificationWeight = 1, ReconstructionWeight = 10 };
        gan.Eval(); // batch statistics would differ between the separate passes below
        var x = Images(4, 4);
        int[] domains = [0, 1, 2, 0], targets = [1, 2, 0, 2];

        var (losses, fake) = gan.GeneratorLoss(x, domains, targets);

        Assert.Equal(losses.Adversarial.Item() + losses.Classification.Item() + 10 * losses.Reconstruction.Item(), losses.Total.Item(), 1e-4);
        var logits = gan.Discriminate(fake).DomainLogits.ToArray();
        double crossEntropy = 0;
        for (var n = 0; n < 4; n++)
        {
            var row = logits.AsSpan(3 * n, 3).ToArray();
            crossEntropy += Math.Log(row.Sum(v => Math.Exp(v))) - row[targets[n]];
        }
        Assert.Equal(crossEntropy / 4, losses.Classification.Item(), 1e-5);
        var back = gan.Generate(fake, domains).ToArray();
        Assert.Equal(back.Zip(x.ToArray()).Average(p => Math.Abs(p.First - p.Second)), losses.Reconstruction.Item(), 1e-5);
    }

    [Fact]
    public void DiscriminatorLoss_LeavesGAlone_TinyEpoch_EachPlayerLowersItsLoss()
    {
        var gan = new StarGan(domains: 2, channels: 4, new Generator(5));
        var x = Images(8, 6);
        int[] domains = [0, 1, 0, 1, 0, 1, 0, 1], targets = [1, 0, 1, 0, 1, 0, 1, 0];
        var (dOpt, gOpt) = (new Adam(gan.DiscriminatorParameters, 2e-3), new Adam(gan.GeneratorParameters, 2e-3));
        double GLoss() { using (Tensor.NoGrad()) { return gan.GeneratorLoss(x, domains, targets).Losses.Total.Item(); } }
        double DLoss() { using (Tensor.NoGrad()) { return gan.DiscriminatorLoss(x, domains, gan.Generate(x, targets)).Item(); } }

        gan.DiscriminatorLoss(x, domains, gan.Generate(x, targets)).Backward();
        Assert.All(gan.GeneratorParameters, p => Assert.Null(p.Grad));

        var before = DLoss();
        for (var step = 0; step < 5; step++)
        {
            dOpt.ZeroGrad();
            gan.DiscriminatorLoss(x, domains, gan.Generate(x, targets)).Backward();
            dOpt.Step();
        }
        Assert.True(DLoss() < before, $"D's loss went from {before} to {DLoss()}");

        before = GLoss();
        for (var step = 0; step < 5; step++)
        {
            gOpt.ZeroGrad();
            gan.GeneratorLoss(x, domains, targets).Losses.Total.Backward();
            gOpt.Step();
        }
        Assert.True(GLoss() < before, $"G's loss went from {before} to {GLoss()}");
    }

    [Fact]
    public void Translate_RowsInUnitRange_AndBadDomainsAreNamed()
    {
        var gan = new StarGan(domains: 3, channels: 4, new Generator(7));
        var rows = Tensor.Rand([2, 784], new Generator(8));

        var translated = gan.Translate(rows, [1, 2]);

        Assert.Equal([2, 784], translated.Shape);
        Assert.All(translated.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Contains("targets[1] = 3", Assert.Throws<ArgumentOutOfRangeException>(() => gan.Translate(rows, [0, 3])).Message);
        Assert.Contains("1 targets for 2 images", Assert.Throws<ArgumentException>(() => gan.Translate(rows, [0])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StarGan(domains: 1));
    }
}
