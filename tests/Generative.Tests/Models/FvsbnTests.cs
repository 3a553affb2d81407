using Generative.Models;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>FVSBN's own promises: its parameter count and each conditional being the logistic regression the
/// definition writes down (the shared autoregressive contract is in AutoregressiveModelTests).</summary>
public class FvsbnTests
{
    [Fact]
    public void FreeParameterCount_28x28_Is307720AndMatchesTheMask()
    {
        var model = new Fvsbn(784, new Generator(1));

        Assert.Equal(307_720, model.FreeParameterCount);
        // Counted from the model itself: one bias per dimension plus the weights its mask leaves free.
        var freeWeights = model.Conditionals.Mask.ToArray().Count(m => m == 1f);
        Assert.Equal(model.FreeParameterCount, model.Conditionals.Bias!.Count + freeWeights);
    }

    [Fact]
    public void Forward_EachLogit_IsBiasPlusWeightedEarlierInputs()
    {
        const int d = 7;
        var model = new Fvsbn(d, new Generator(2));
        var x = Tensor.Bernoulli(Tensor.Full([5, d], 0.5f), new Generator(3));
        var weight = model.Conditionals.Weight.ToArray();
        var bias = model.Conditionals.Bias!.ToArray();
        var values = x.ToArray();

        var logits = model.Forward(x).ToArray();

        for (var n = 0; n < 5; n++)
        {
            for (var i = 0; i < d; i++)
            {
                double expected = bias[i];
                for (var j = 0; j < i; j++)
                {
                    expected += weight[i * d + j] * values[n * d + j];
                }
                Assert.Equal(expected, logits[n * d + i], 1e-5);
            }
        }
    }

    [Fact]
    public void Forward_WrongWidth_ThrowsNamingShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Fvsbn(6).Forward(Tensor.Zeros(2, 5)));

        Assert.Contains("(2, 5)", ex.Message);
        Assert.Contains("(N, 6)", ex.Message);
    }
}
