using Generative.Data;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class AaeTests
{
    private static Tensor PrototypeData(int count, Generator generator)
    {
        // Two 16-pixel prototypes with 10% of the bits flipped.
        var values = new float[count * 16];
        for (var n = 0; n < count; n++)
        {
            var prototype = generator.Bernoulli(0.5);
            for (var d = 0; d < 16; d++)
            {
                var bit = prototype ? d % 2 == 0 : d < 8;
                values[n * 16 + d] = (generator.Bernoulli(0.1) ? !bit : bit) ? 1 : 0;
            }
        }
        return Tensor.FromArray(values, count, 16);
    }

    private static double LogSigmoid(double logit) => -Math.Log(1 + Math.Exp(-logit));

    [Fact]
    public void DiscriminatorLoss_PriorDrawsAndCodes_IsCrossEntropyOfBothSides()
    {
        var aae = new Aae(16, 8, 2, Toy2D.Ring10(), generator: new Generator(1));
        var codes = aae.Encode(PrototypeData(6, new Generator(2)));
        var draws = aae.SamplePrior(5, new Generator(3));

        var loss = aae.DiscriminatorLoss(codes, draws).Item();

        // −mean log σ(D(prior draw)) − mean log(1 − σ(D(code))), in double from the logits.
        var real = aae.Discriminate(draws).ToArray().Select(v => -LogSigmoid(v)).Average();
        var fake = aae.Discriminate(codes).ToArray().Select(v => -LogSigmoid(-v)).Average();
        Assert.Equal(real + fake, loss, 1e-5);
        var encoderLoss = aae.EncoderLoss(codes).Item();
        Assert.Equal(aae.Discriminate(codes).ToArray().Select(v => -LogSigmoid(v)).Average(), encoderLoss, 1e-5);
    }

    [Fact]
    public void DiscriminatorLoss_Backward_GivesTheEncoderNoGradient()
    {
        var aae = new Aae(16, 8, 2, generator: new Generator(1));
        var x = PrototypeData(6, new Generator(2));

        aae.DiscriminatorLoss(aae.Encode(x), aae.SamplePrior(6, new Generator(3))).Backward();

        Assert.All(aae.EncoderParameters, p => Assert.Null(p.Grad));
        Assert.All(aae.DiscriminatorParameters, p => Assert.NotNull(p.Grad));
        aae.EncoderLoss(aae.Encode(x)).Backward();
        Assert.All(aae.EncoderParameters, p => Assert.NotNull(p.Grad));
    }

    [Fact]
    public void Discriminate_WithClasses_DependsOnTheLabel()
    {
        var aae = new Aae(16, 8, 2, Toy2D.Ring10(), classes: 10, generator: new Generator(1));
        var z = Tensor.FromArray([0.5f, -1f, 0.5f, -1f], 2, 2);

        var logits = aae.Discriminate(z, [3, 7]).ToArray();

        Assert.NotEqual(logits[0], logits[1]);
        Assert.Equal(logits[1], aae.Discriminate(z, [7, 7]).ToArray()[1]);
    }

    [Fact]
    public void SamplePrior_ClassComponents_DrawsNearEachClassCentre()
    {
        var ring = Toy2D.Ring10(radius: 4, std: 0.5);
        var aae = new Aae(16, 8, 2, ring, classes: 10, generator: new Generator(1));
        var labels = Enumerable.Range(0, 4000).Select(n => n % 10).ToArray();

        var draws = aae.SamplePrior(labels, new Generator(5)).ToArray();

        for (var c = 0; c < 10; c++)
        {
            var xs = labels.Select((l, n) => (l, n)).Where(p => p.l == c).Select(p => (double)draws[2 * p.n]).ToArray();
            Statistics.AssertMeanWithinStandardErrors(ring.Means[c].X, 0.25, xs);
        }
    }

    [Fact]
    public void TrainingSteps_ThreePhases_LowerReconstructionAndDiscriminatorLosses()
    {
        var aae = new Aae(16, 12, 2, Toy2D.Ring10(), generator: new Generator(1));
        var x = PrototypeData(64, new Generator(2));
        var reconstruction = new Adam(aae.EncoderParameters.Concat(aae.DecoderParameters), 1e-2);
        var discriminator = new Adam(aae.DiscriminatorParameters, 1e-2);
        var encoder = new Adam(aae.EncoderParameters, 1e-3);
        var draws = aae.SamplePrior(64, new Generator(3));
        var (reconstructionBefore, discriminatorBefore) = (aae.ReconstructionLoss(x).Item(), aae.DiscriminatorLoss(aae.Encode(x), draws).Item());

        for (var step = 0; step < 30; step++)
        {
            reconstruction.ZeroGrad();
            aae.ReconstructionLoss(x).Backward();
            reconstruction.Step();
            var codes = aae.Encode(x);
            discriminator.ZeroGrad();
            aae.DiscriminatorLoss(codes, draws).Backward();
            discriminator.Step();
            encoder.ZeroGrad();
            aae.EncoderLoss(codes).Backward();
            encoder.Step();
        }

        Assert.True(aae.ReconstructionLoss(x).Item() < reconstructionBefore - 1, $"reconstruction {reconstructionBefore} -> {aae.ReconstructionLoss(x).Item()}");
        Assert.True(aae.DiscriminatorLoss(aae.Encode(x), draws).Item() < discriminatorBefore,
            $"discriminator {discriminatorBefore} -> {aae.DiscriminatorLoss(aae.Encode(x), draws).Item()}");
    }

    [Fact]
    public void Sample_Count_GivesBinaryVectors()
    {
        var aae = new Aae(16, 8, 2, Toy2D.Ring10(), generator: new Generator(1));

        var samples = aae.Sample(7, new Generator(2));

        Assert.Equal([7, 16], samples.Shape);
        Assert.All(samples.ToArray(), v => Assert.True(v is 0 or 1));
    }

    [Fact]
    public void Constructor_BadPriorOrClasses_ThrowsNamingTheProblem()
    {
        var planar = Assert.Throws<ArgumentException>(() => new Aae(16, 8, 3, Toy2D.Ring10()));
        Assert.Contains("latentDimensions is 3, not 2", planar.Message);
        var tooMany = Assert.Throws<ArgumentException>(() => new Aae(16, 8, 2, Toy2D.Ring8(), classes: 10));
        Assert.Contains("10 classes need a component each; the prior has 8", tooMany.Message);
        Assert.Throws<ArgumentException>(() => new Aae(16, 8, 2, classes: 2));
    }

    [Fact]
    public void Discriminate_LabelsThatDoNotFit_ThrowsNamingThem()
    {
        var labelled = new Aae(16, 8, 2, Toy2D.Ring10(), classes: 10, generator: new Generator(1));
        var plain = new Aae(16, 8, 2, Toy2D.Ring10(), generator: new Generator(1));
        var z = Tensor.Zeros(2, 2);

        Assert.Contains("pass one label per code", Assert.Throws<ArgumentException>(() => labelled.Discriminate(z)).Message);
        Assert.Contains("1 labels for 2 examples", Assert.Throws<ArgumentException>(() => labelled.Discriminate(z, [1])).Message);
        Assert.Contains("label 1 is 10", Assert.Throws<ArgumentOutOfRangeException>(() => labelled.Discriminate(z, [1, 10])).Message);
        Assert.Contains("pass no labels", Assert.Throws<ArgumentException>(() => plain.Discriminate(z, [1, 2])).Message);
        Assert.Throws<InvalidOperationException>(() => new Aae(16, 8, 2).SamplePrior([0], new Generator(1)));
    }
}
