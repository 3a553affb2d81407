using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class VaeTests
{
    private static Tensor BinaryData(int count, int dimensions, Generator generator)
    {
        // two prototypes with 10% of the bits flipped: something a small VAE can learn
        var values = new float[count * dimensions];
        for (var n = 0; n < count; n++)
        {
            var prototype = generator.Bernoulli(0.5);
            for (var d = 0; d < dimensions; d++)
            {
                var bit = prototype ? d % 2 == 0 : d < dimensions / 2;
                values[n * dimensions + d] = (generator.Bernoulli(0.1) ? !bit : bit) ? 1 : 0;
            }
        }
        return Tensor.FromArray(values, count, dimensions);
    }

    [Fact]
    public void Elbo_PerExample_IsReconstructionMinusKL()
    {
        var vae = new Vae(8, 6, 2, new Generator(1));
        var x = BinaryData(5, 8, new Generator(2));
        var elbo = vae.Elbo(x, new Generator(3));
        Assert.Equal([5], elbo.Shape);

        // the same draw of ε, by hand
        var (mean, logVar) = vae.Encode(x);
        var z = Vae.Reparameterize(mean, logVar, new Generator(3));
        var logLikelihood = Losses.BinaryCrossEntropyWithLogits(vae.Decode(z), x, Reduction.None).Sum(1).Neg();
        var expected = (logLikelihood - Losses.GaussianKL(mean, logVar, Reduction.None)).ToArray();
        Assert.Equal(expected, elbo.ToArray());
        Assert.Equal(-elbo.Mean().Item(), vae.Loss(x, new Generator(3)).Item(), 1e-3f);
    }

    [Fact]
    public void Elbo_AveragedOverDraws_IsBelowImportanceSampledLogProb()
    {
        // ELBO(x) = log p(x) − KL(q ‖ posterior) ≤ log p(x); the IWAE estimate with K = 2000 is within a few hundredths
        // of log p(x) for a 2-dimensional latent space.
        var vae = new Vae(6, 8, 2, new Generator(4));
        var x = BinaryData(4, 6, new Generator(5));
        using (Tensor.NoGrad())
        {
            var generator = new Generator(6);
            var elbo = new double[4];
            const int draws = 2000;
            for (var k = 0; k < draws; k++)
            {
                var e = vae.Elbo(x, generator).ToArray();
                for (var n = 0; n < 4; n++)
                {
                    elbo[n] += e[n] / draws;
                }
            }
            var logProb = vae.LogProbEstimate(x, 2000, new Generator(7)).ToArray();
            for (var n = 0; n < 4; n++)
            {
                Assert.True(elbo[n] <= logProb[n], $"example {n}: mean ELBO {elbo[n]} above log p(x) estimate {logProb[n]}");
                Assert.True(logProb[n] < 0);
            }
        }
    }

    [Fact]
    public void Sample_SameSeed_SameBinaryImagesOfRightShape()
    {
        var vae = new Vae(12, 8, 3, new Generator(8));
        var first = vae.Sample(7, new Generator(9));
        Assert.Equal([7, 12], first.Shape);
        Assert.Equal(first.ToArray(), vae.Sample(7, new Generator(9)).ToArray());
        Assert.All(first.ToArray(), v => Assert.True(v is 0f or 1f));
        var probs = vae.SampleProbs(7, new Generator(9));
        Assert.All(probs.ToArray(), p => Assert.InRange(p, 0f, 1f));
        Assert.False(first.RequiresGrad);
    }

    [Fact]
    public void Loss_OneTinyEpoch_LowersNegativeElbo()
    {
        var vae = new Vae(16, 32, 2, new Generator(10));
        var data = BinaryData(256, 16, new Generator(11));
        var optimizer = new Adam(vae.Parameters(), learningRate: 1e-2);
        float Evaluate()
        {
            using (Tensor.NoGrad())
            {
                return vae.Loss(data, new Generator(12)).Item();
            }
        }
        var before = Evaluate();
        var noise = new Generator(13);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            for (var start = 0; start < 256; start += 32)
            {
                optimizer.ZeroGrad();
                var loss = vae.Loss(data.Narrow(0, start, 32), noise);
                loss.Backward();
                optimizer.Step();
            }
        }
        var after = Evaluate();
        Assert.True(after < before - 1f, $"negative ELBO went from {before} to {after}");
    }

    [Fact]
    public void Parameters_NamedAsInPyTorch()
    {
        var names = new Vae(784, 400, 20).NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(
            ["encoder.0.weight", "encoder.0.bias", "mean.weight", "mean.bias", "log_var.weight", "log_var.bias",
             "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"], names);
    }
}

/// <summary>The importance-weighted bound: monotone in K on average, a one-sample ELBO at K = 1, differentiable through
/// the reparameterised draws (autograd against finite differences of the same draws), and trainable.</summary>
public class IwaeTests
{
    private static Tensor Data(int count, int dimensions, ulong seed) =>
        Tensor.Bernoulli(Tensor.Full([count, dimensions], 0.3f), new Generator(seed));

    [Fact]
    public void IwaeBound_AveragedOverSeeds_NonDecreasingInK()
    {
        var vae = new Vae(10, 12, 3, new Generator(1));
        var x = Data(16, 10, 2);
        double MeanBound(int k) => Enumerable.Range(0, 40).Average(seed => (double)vae.LogProbEstimate(x, k, new Generator((ulong)(100 + seed))).Mean().Item());
        var bounds = new[] { 1, 5, 50 }.Select(MeanBound).ToArray();
        Assert.True(bounds[0] < bounds[1] && bounds[1] < bounds[2], $"bounds for K = 1, 5, 50: {string.Join(", ", bounds)}");
    }

    [Fact]
    public void IwaeBound_OneSample_AveragesToTheElbo()
    {
        // E[log w] with one draw is the ELBO: compare the two estimators' means over 3,000 draws, within 4 standard errors.
        var vae = new Vae(8, 10, 2, new Generator(3));
        var x = Data(1, 8, 4);
        var generator = new Generator(5);
        double[] iwae = [.. Enumerable.Range(0, 3000).Select(_ => (double)vae.LogProbEstimate(x, 1, generator).Item())];
        double[] elbo;
        using (Tensor.NoGrad())
        {
            elbo = [.. Enumerable.Range(0, 3000).Select(_ => (double)vae.Elbo(x, generator).Item())];
        }
        double Variance(double[] v) => v.Sum(e => (e - v.Average()) * (e - v.Average())) / (v.Length - 1);
        var standardError = Math.Sqrt(Variance(iwae) / iwae.Length + Variance(elbo) / elbo.Length);
        Assert.InRange(iwae.Average() - elbo.Average(), -4 * standardError, 4 * standardError);
    }

    [Fact]
    public void IwaeLoss_Gradient_MatchesFiniteDifferencesWithTheSameDraws()
    {
        // With the generator reseeded for every evaluation the draws ε are fixed, so the loss is a smooth function of the
        // weights and its reparameterised gradient must equal central differences (computed in float, hence the tolerance).
        var vae = new Vae(6, 5, 2, new Generator(6));
        var x = Data(4, 6, 7);
        ParameterGradients.AssertMatchFiniteDifferences(vae, () => vae.IwaeLoss(x, 3, new Generator(8)).Item(),
            () => vae.IwaeLoss(x, 3, new Generator(8)).Backward(), h: 1e-2f, tolerance: 2e-2, entriesPerParameter: 6);
    }

    [Fact]
    public void IwaeLoss_OneTinyEpoch_LowersTheLoss()
    {
        var vae = new Vae(16, 32, 2, new Generator(10));
        var data = Data(256, 16, 11);
        float Evaluate()
        {
            using (Tensor.NoGrad())
            {
                return vae.IwaeLoss(data, 5, new Generator(12)).Item();
            }
        }
        var before = Evaluate();
        Generative.Training.Trainer.Fit(x => vae.IwaeLoss(x, 5, new Generator(13)), new Adam(vae.Parameters(), 1e-2), data, 2, 32, new Generator(14));
        var after = Evaluate();
        Assert.True(after < before - 1f, $"IWAE loss went from {before} to {after}");
    }
}
