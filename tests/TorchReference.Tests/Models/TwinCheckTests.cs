using Generative;
using Generative.Models;
using Generative.NN;
using TorchSharp;
using Xunit.Abstractions;
using Xunit.Sdk;
using static TorchReference.Tests.Models.TwinCheck;

namespace TorchReference.Tests.Models;

/// <summary>The comparison machinery itself: the twin loader refuses files that do not fit, and a twin that differs
/// from the course model by one weight fails the comparison.</summary>
[Collection(TorchReference.Tests.Ops.TorchGlobalGeneratorCollection.Name)] // twins build torch modules, which draw their initial weights from it
public sealed class TwinCheckTests(ITestOutputHelper output)
{
    [TorchFact]
    public void TwinCheck_OneTwinWeightPerturbed_FailsNamingTheGradient()
    {
        var model = new Fvsbn(784, new Generator(seed: 11));
        var twin = LoadInto(model, new FvsbnTwin(784));
        using (torch.no_grad())
        {
            // One bias of 784, moved by 0.01: a change a float32 tolerance must not absorb.
            twin.named_parameters().Single(pair => pair.name == "conditionals.bias").parameter.view(-1)[100] += 0.01f;
        }
        var x = TwinData.Binary(8);
        var failure = Assert.ThrowsAny<XunitException>(() =>
            new TwinCheck(output, "FVSBN, perturbed").Phase("mean NLL", model, twin, () => model.Loss(x), () => twin.loss(ToTorch(x))));
        Assert.Contains("gradient of 'conditionals.", failure.Message);
    }

    [TorchFact]
    public void TwinWeightsLoad_MissingTensor_ThrowsNamingIt() =>
        AssertRefused(tensors => tensors.Remove("conditionals.mask"), "missing tensor 'conditionals.mask'");

    [TorchFact]
    public void TwinWeightsLoad_UnexpectedTensor_ThrowsNamingIt() =>
        AssertRefused(tensors => tensors["conditionals.scale"] = ([3], [1f, 2f, 3f]), "unexpected tensor 'conditionals.scale'");

    [TorchFact]
    public void TwinWeightsLoad_MisShapedTensor_ThrowsNamingItAndBothShapes() =>
        AssertRefused(tensors => tensors["conditionals.bias"] = ([3, 2], new float[6]), "tensor 'conditionals.bias' has shape (3, 2) in the file but (4) in the twin");

    /// <summary>Writes a small FVSBN's state with one change through the course's safetensors writer and checks that
    /// loading it into the twin fails with <paramref name="expected"/> in the message.</summary>
    private static void AssertRefused(Action<Dictionary<string, (int[] Shape, float[] Data)>> change, string expected)
    {
        var tensors = new Fvsbn(4, new Generator(seed: 1)).StateDict().ToDictionary(pair => pair.Key, pair => (pair.Value.Shape, pair.Value.ToArray()));
        change(tensors);
        var path = Path.Combine(Path.GetTempPath(), $"twin-refused-{Guid.NewGuid():N}.safetensors");
        try
        {
            Safetensors.Save(path, tensors);
            var failure = Assert.Throws<InvalidDataException>(() => TwinWeights.Load(new FvsbnTwin(4), path));
            Assert.Contains(expected, failure.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
