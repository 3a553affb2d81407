using Generative.Evaluation;
using Generative.Models;
using Generative.Tensors;

namespace Generative.Tests.Evaluation;

/// <summary>The mean NLL against a closed form: an FVSBN whose weights are zero is a product of independent Bernoullis.</summary>
public class LikelihoodTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(500)]
    public void MeanNll_IndependentBernoullis_EqualsTheClosedForm(int batchSize)
    {
        var generator = new Generator(5);
        var model = new Fvsbn(5, generator);
        float[] biases = [-2f, -0.5f, 0f, 0.7f, 3f];
        model.Conditionals.Weight.AsSpan().Clear();
        biases.CopyTo(model.Conditionals.Bias!.AsSpan());
        var data = Tensor.Bernoulli(Tensor.Full([7, 5], 0.4f), generator);

        var pixels = data.ToArray();
        double expected = 0;
        for (var n = 0; n < 7; n++)
        {
            for (var d = 0; d < 5; d++)
            {
                var p1 = 1 / (1 + Math.Exp(-biases[d]));
                expected -= Math.Log(pixels[n * 5 + d] == 1 ? p1 : 1 - p1);
            }
        }
        expected /= 7;

        Assert.Equal(expected, Likelihood.MeanNll(model, data, batchSize), 1e-5);
    }

    [Fact]
    public void MeanNll_DataNotABatch_ThrowsNamingTheShape()
    {
        var model = new Fvsbn(5, new Generator(1));

        var error = Assert.Throws<ArgumentException>(() => Likelihood.MeanNll(model, Tensor.Zeros(5)));

        Assert.Equal("data", error.ParamName);
        Assert.Contains("(5)", error.Message);
    }
}
