using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class DcganTests
{
    [Fact]
    public void Networks_HaveTheDocumentedShapes()
    {
        var gan = new Dcgan(64, new Generator(1));
        var z = gan.SampleLatent(3, new Generator(2));
        var images = gan.Generate(z);
        Assert.Equal([3, 1, 28, 28], images.Shape);
        Assert.All(images.ToArray(), v => Assert.InRange(v, -1f, 1f));
        Assert.Equal([3, 1], gan.Discriminate(images).Shape);
        Assert.Equal([3, 1], gan.Discriminate(images.Reshape(3, 784)).Shape);
        var parameterShapes = gan.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape);
        Assert.Equal([128 * 7 * 7, 64], parameterShapes["generator_network.project.weight"]);
        Assert.Equal([128, 64, 4, 4], parameterShapes["generator_network.up1.weight"]);
        Assert.Equal([64, 1, 4, 4], parameterShapes["generator_network.up2.weight"]);
        Assert.Equal([64, 1, 4, 4], parameterShapes["discriminator_network.conv1.weight"]);
        Assert.Equal([128, 64, 4, 4], parameterShapes["discriminator_network.conv2.weight"]);
        Assert.Equal([1, 128 * 7 * 7], parameterShapes["discriminator_network.classify.weight"]);
    }

    [Fact]
    public void Losses_AreTheBinaryCrossEntropiesOfTheLogits()
    {
        var gan = new Dcgan(8, new Generator(3));
        gan.Eval(); // fixed batch norm statistics, so D gives the same logits every call
        var real = Tensor.Rand([4, 1, 28, 28], new Generator(4)) * 2f - 1f;
        var fake = gan.Generate(gan.SampleLatent(4, new Generator(5)));
        double MeanSoftplus(Tensor logits, float sign) => logits.ToArray().Average(l => Math.Log(1 + Math.Exp(sign * l)));
        var realLogits = gan.Discriminate(real);
        var fakeLogits = gan.Discriminate(fake);
        Assert.Equal(MeanSoftplus(realLogits, -1) + MeanSoftplus(fakeLogits, 1), gan.DiscriminatorLoss(real, fake).Item(), 1e-4);
        Assert.Equal(MeanSoftplus(fakeLogits, -1), gan.GeneratorLoss(fake).Item(), 1e-4);
    }

    [Fact]
    public void DiscriminatorLoss_ReachesOnlyTheDiscriminator()
    {
        var gan = new Dcgan(8, new Generator(6));
        var fake = gan.Generate(gan.SampleLatent(4, new Generator(7)));
        gan.DiscriminatorLoss(Tensor.Zeros(4, 1, 28, 28), fake).Backward();
        Assert.All(gan.GeneratorNetwork.Parameters(), p => Assert.Null(p.Grad));
        Assert.All(gan.DiscriminatorNetwork.Parameters(), p => Assert.NotNull(p.Grad));
        gan.GeneratorLoss(fake).Backward();
        Assert.All(gan.GeneratorNetwork.Parameters(), p => Assert.NotNull(p.Grad));
    }

    [Fact]
    public void TrainingSteps_SameSeed_BitIdenticalLosses()
    {
        float[] Run()
        {
            var gan = new Dcgan(16, new Generator(8));
            var optimizerG = new Adam(gan.GeneratorNetwork.Parameters(), 2e-4, 0.5, 0.999);
            var optimizerD = new Adam(gan.DiscriminatorNetwork.Parameters(), 2e-4, 0.5, 0.999);
            var noise = new Generator(9);
            var data = new Generator(10);
            var losses = new List<float>();
            for (var step = 0; step < 3; step++)
            {
                var real = Tensor.Bernoulli(Tensor.Full([8, 1, 28, 28], 0.3f), data) * 2f - 1f;
                var fake = gan.Generate(gan.SampleLatent(8, noise));
                optimizerD.ZeroGrad();
                var lossD = gan.DiscriminatorLoss(real, fake);
                lossD.Backward();
                optimizerD.Step();
                optimizerG.ZeroGrad();
                var lossG = gan.GeneratorLoss(fake);
                lossG.Backward();
                optimizerG.Step();
                losses.Add(lossD.Item());
                losses.Add(lossG.Item());
            }
            return [.. losses];
        }
        var first = Run();
        Assert.Equal(first, Run());
        Assert.All(first, l => Assert.True(float.IsFinite(l) && l > 0));
    }

    [Fact]
    public void Sample_UsesRunningStatisticsAndRestoresTrainingMode()
    {
        var gan = new Dcgan(8, new Generator(11));
        var first = gan.Sample(2, new Generator(12));
        Assert.Equal([2, 784], first.Shape);
        Assert.Equal(first.ToArray(), gan.Sample(2, new Generator(12)).ToArray());
        Assert.True(gan.GeneratorNetwork.Training);
        Assert.False(first.RequiresGrad);

        // The course's sample layout: the eval-mode tanh images (N, 1, 28, 28) in [−1, 1], as rows in [0, 1].
        gan.GeneratorNetwork.Eval();
        var images = gan.Generate(gan.SampleLatent(2, new Generator(12))).ToArray();
        var expected = images.Select(v => (v + 1f) * 0.5f).ToArray();
        Assert.Equal(expected, first.ToArray());
        Assert.All(first.ToArray(), v => Assert.InRange(v, 0f, 1f));
        // Noise chosen by the caller gives the same images as the same noise drawn by Sample.
        gan.GeneratorNetwork.Train();
        Assert.Equal(first.ToArray(), gan.SampleFrom(gan.SampleLatent(2, new Generator(12))).ToArray());
        Assert.True(gan.GeneratorNetwork.Training);
    }

    [Fact]
    public void SampleLayout_ToSignedThenFromSigned_RoundTripsAndChecksShapes()
    {
        var rows = Tensor.FromArray([0f, 0.25f, 0.5f, 1f, 0.75f, 0f], 1, 6);
        var images = SampleLayout.ToSigned(rows, 1, 2, 3);
        Assert.Equal([1, 1, 2, 3], images.Shape);
        Assert.Equal([-1f, -0.5f, 0f, 1f, 0.5f, -1f], images.ToArray());
        Assert.Equal(rows.ToArray(), SampleLayout.FromSigned(images).ToArray());
        Assert.Equal([0, 6], SampleLayout.FromSigned(Tensor.Zeros(0, 1, 2, 3)).Shape);
        var error = Assert.Throws<ArgumentException>(() => SampleLayout.ToSigned(rows, 1, 28, 28));
        Assert.Contains("(1, 6)", error.Message);
        Assert.Contains("784", error.Message);
    }
}
