using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class ConditionalDcganTests
{
    private static double MeanSoftplus(Tensor logits, float sign) => logits.ToArray().Average(l => Math.Log(1 + Math.Exp(sign * l)));

    [Fact]
    public void Networks_ReadTheLabel()
    {
        var gan = new ConditionalDcgan(8, classes: 3, new Generator(1));
        var parameters = gan.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape);
        Assert.Equal([128 * 7 * 7, 8 + 3], parameters["generator_network.project.weight"]);
        Assert.Equal([64, 1 + 3, 4, 4], parameters["discriminator_network.conv1.weight"]);

        var z = gan.SampleLatent(2, new Generator(2));
        var images = gan.Generate(z, [0, 2]);
        Assert.Equal([2, 1, 28, 28], images.Shape);
        Assert.NotEqual(images.ToArray(), gan.Generate(z, [1, 2]).ToArray());

        gan.Eval();
        var logits = gan.Discriminate(images, [0, 2]);
        Assert.Equal([2, 1], logits.Shape);
        Assert.NotEqual(logits.ToArray()[0], gan.Discriminate(images, [1, 2]).ToArray()[0]);
    }

    [Fact]
    public void Discriminate_AppendsOnePlanePerClass()
    {
        var gan = new ConditionalDcgan(8, classes: 3, new Generator(1));
        gan.Eval();
        var images = Tensor.Rand([2, 1, 28, 28], new Generator(2)) * 2f - 1f;
        // The same input built by hand: channel 1 + c all ones where c is the label.
        var planes = new float[2 * 3 * 784];
        planes.AsSpan(0 * 3 * 784 + 2 * 784, 784).Fill(1);   // example 0, class 2
        planes.AsSpan(1 * 3 * 784 + 0 * 784, 784).Fill(1);   // example 1, class 0
        var byHand = gan.DiscriminatorNetwork.Forward(Tensor.Cat([images, Tensor.FromArray(planes, 2, 3, 28, 28)], 1));

        Assert.Equal(byHand.ToArray(), gan.Discriminate(images, [2, 0]).ToArray());
    }

    [Fact]
    public void Losses_AreTheCrossEntropiesOfTheLogits()
    {
        var gan = new ConditionalDcgan(8, classes: 4, new Generator(3));
        gan.Eval();
        var real = Tensor.Rand([3, 784], new Generator(4)) * 2f - 1f;
        var fake = gan.Generate(gan.SampleLatent(3, new Generator(5)), [3, 1, 0]);

        var (realLogits, fakeLogits) = (gan.Discriminate(real, [0, 1, 2]), gan.Discriminate(fake, [3, 1, 0]));

        Assert.Equal(MeanSoftplus(realLogits, -1) + MeanSoftplus(fakeLogits, 1), gan.DiscriminatorLoss(real, [0, 1, 2], fake, [3, 1, 0]).Item(), 1e-4);
        Assert.Equal(MeanSoftplus(fakeLogits, -1), gan.GeneratorLoss(fake, [3, 1, 0]).Item(), 1e-4);
    }

    [Fact]
    public void TinyEpoch_EachPlayerLowersItsLossAgainstTheOther()
    {
        var gan = new ConditionalDcgan(8, classes: 2, new Generator(6));
        var real = Tensor.Rand([16, 784], new Generator(7)) * 2f - 1f;
        int[] labels = [.. Enumerable.Range(0, 16).Select(n => n % 2)];
        var z = gan.SampleLatent(16, new Generator(8));
        var (dOpt, gOpt) = (new Adam(gan.DiscriminatorNetwork.Parameters(), 2e-3), new Adam(gan.GeneratorNetwork.Parameters(), 2e-3));
        double DLoss() { using (Tensor.NoGrad()) { return gan.DiscriminatorLoss(real, labels, gan.Generate(z, labels), labels).Item(); } }
        double GLoss() { using (Tensor.NoGrad()) { return gan.GeneratorLoss(gan.Generate(z, labels), labels).Item(); } }

        var before = DLoss();
        for (var step = 0; step < 3; step++)
        {
            dOpt.ZeroGrad();
            gan.DiscriminatorLoss(real, labels, gan.Generate(z, labels), labels).Backward();
            dOpt.Step();
        }
        Assert.True(DLoss() < before);
        Assert.All(gan.GeneratorNetwork.Parameters(), p => Assert.Null(p.Grad));

        before = GLoss();
        for (var step = 0; step < 3; step++)
        {
            gOpt.ZeroGrad();
            gan.GeneratorLoss(gan.Generate(z, labels), labels).Backward();
            gOpt.Step();
        }
        Assert.True(GLoss() < before);
    }

    [Fact]
    public void SampleClasses_RowsInUnitRange_SameSeedSameImages()
    {
        var gan = new ConditionalDcgan(8, classes: 3, new Generator(9));

        var images = gan.SampleClasses([0, 1, 2, 2], new Generator(10));

        Assert.Equal([4, 784], images.Shape);
        Assert.All(images.ToArray(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(images.ToArray(), gan.SampleClasses([0, 1, 2, 2], new Generator(10)).ToArray());
        Assert.Equal(gan.SampleClasses([0, 1, 2], new Generator(11)).ToArray(), gan.Sample(3, new Generator(11)).ToArray());
        Assert.Equal(images.ToArray(), gan.SampleFrom(gan.SampleLatent(4, new Generator(10)), [0, 1, 2, 2]).ToArray());
        Assert.True(gan.GeneratorNetwork.Training);
    }

    [Fact]
    public void BadLabels_AreNamed()
    {
        var gan = new ConditionalDcgan(8, classes: 3, new Generator(1));
        var z = gan.SampleLatent(2, new Generator(2));
        Assert.Contains("label 1 is 3, outside [0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() => gan.Generate(z, [0, 3])).Message);
        Assert.Contains("1 labels for 2 examples", Assert.Throws<ArgumentException>(() => gan.Generate(z, [0])).Message);
        Assert.Contains("(N, 784) or (N, 1, 28, 28), got (2, 783)", Assert.Throws<ArgumentException>(() => gan.Discriminate(Tensor.Zeros([2, 783]), [0, 1])).Message);
        Assert.Contains("must be (N, 4, 28, 28)", Assert.Throws<ArgumentException>(() => gan.DiscriminatorNetwork.Forward(Tensor.Zeros([2, 784]))).Message);
        Assert.Contains("must be (N, 8)", Assert.Throws<ArgumentException>(() => gan.Generate(Tensor.Zeros([2, 5]), [0, 1])).Message);
    }
}
