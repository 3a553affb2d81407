using Generative.Models;
using Generative.Tensors;

namespace Generative.Tests.Models;

public class MadeTests
{
    [Fact]
    public void Masks_FollowThePapersDegreeRule()
    {
        const int d = 12;
        var made = new Made(d, [20, 15], new Generator(1));
        var degrees = made.HiddenDegrees;
        // each hidden degree lies in [min degree of the layer below, D - 1]
        Assert.All(degrees[0], m => Assert.InRange(m, 1, d - 1));
        Assert.All(degrees[1], m => Assert.InRange(m, degrees[0].Min(), d - 1));
        var inputDegrees = Enumerable.Range(1, d).ToArray();
        var layerInputs = new[] { inputDegrees, degrees[0], degrees[1] };
        var layerOutputs = new[] { degrees[0], degrees[1], inputDegrees };
        for (var l = 0; l < 3; l++)
        {
            var mask = made.Layers[l].Mask;
            for (var o = 0; o < layerOutputs[l].Length; o++)
            {
                for (var i = 0; i < layerInputs[l].Length; i++)
                {
                    var connected = l < 2 ? layerOutputs[l][o] >= layerInputs[l][i] : layerOutputs[l][o] > layerInputs[l][i];
                    Assert.Equal(connected ? 1f : 0f, mask[o, i]);
                }
            }
        }
    }

    [Fact]
    public void Logits_FirstDimension_DependsOnNoInput()
    {
        var made = new Made(6, [10], new Generator(2));
        using (Tensor.NoGrad())
        {
            var logits = made.Forward(Tensor.FromArray([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], 2, 6));
            Assert.Equal(logits[0, 0], logits[1, 0]);
        }
    }

    [Fact]
    public void Constructor_SameSeed_SameMasksAndWeights()
    {
        var first = new Made(8, [9], new Generator(3));
        var second = new Made(8, [9], new Generator(3));
        Assert.Equal(first.HiddenDegrees[0], second.HiddenDegrees[0]);
        Assert.Equal(first.Layers[0].Weight.ToArray(), second.Layers[0].Weight.ToArray());
    }
}
