using Generative.NN;
using Generative.Tensors;
using Generative.Tests.Data;

namespace Generative.Tests.NN;

/// <summary>Module.Save / Load through safetensors: bit-exact round trips, PyTorch key names, and loads that fail
/// cleanly (naming the file and the tensor) without touching the module.</summary>
public class ModuleSerializationTests
{
    private static Sequential Model(ulong seed)
    {
        var generator = new Generator(seed);
        return new Sequential(
            new Conv2d(1, 4, 3, padding: 1, generator: generator), new BatchNorm2d(4), new Relu(), new Flatten(),
            new MaskedLinear(4 * 5 * 5, 6, generator: generator), new Tanh(), new Linear(6, 2, generator: generator));
    }

    private static Dictionary<string, float[]> Snapshot(Module module) =>
        module.StateDict().ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());

    private static void AssertSameState(Dictionary<string, float[]> expected, Module module)
    {
        var actual = Snapshot(module);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, values) in expected)
        {
            Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), actual[name].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void SaveThenLoad_TrainedModel_RestoresParametersAndBuffersBitExact()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("model.safetensors");
        var source = Model(1);
        ((MaskedLinear)source[4]).SetMask(Tensor.Bernoulli(Tensor.Full([6, 100], 0.5f), new Generator(3)));
        source.Forward(Tensor.Randn([8, 1, 5, 5], new Generator(2))); // moves the batch norm running stats
        var expected = Snapshot(source);

        source.Save(path);
        var target = Model(99);
        var result = target.Load(path);

        AssertSameState(expected, target);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        Assert.Equal(source.Forward(Tensor.Ones(2, 1, 5, 5)).ToArray(), target.Forward(Tensor.Ones(2, 1, 5, 5)).ToArray());
        Assert.Single(Directory.GetFiles(folder.Path)); // no temporary file left behind
    }

    [Fact]
    public void Save_File_HoldsPyTorchStateDictKeysAndShapes()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("model.safetensors");

        Model(1).Save(path);
        var file = Safetensors.Load(path);

        Assert.Equal(
            ["0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight", "4.bias", "4.mask", "4.weight", "6.bias", "6.weight"],
            file.Names.Order(StringComparer.Ordinal));
        Assert.Equal([4, 1, 3, 3], file["0.weight"].Shape);
        Assert.Equal([6, 100], file["4.mask"].Shape);
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingFileAndTensorAndChangesNothing()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("partial.safetensors");
        var full = Snapshot(Model(1));
        Safetensors.Save(path, full.Where(pair => pair.Key != "6.bias")
            .ToDictionary(pair => pair.Key, pair => (Model(1).StateDict()[pair.Key].Shape, pair.Value)));
        var target = Model(2);
        var before = Snapshot(target);

        var error = Assert.Throws<InvalidDataException>(() => target.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("missing tensor '6.bias'", error.Message);
        AssertSameState(before, target);
    }

    [Fact]
    public void Load_UnexpectedTensor_ThrowsWhenStrictReportsWhenNot()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("extra.safetensors");
        var state = Model(1).StateDict().ToDictionary(pair => pair.Key, pair => (pair.Value.Shape, pair.Value.ToArray()));
        state["7.weight"] = ([2, 2], [1f, 2f, 3f, 4f]);
        Safetensors.Save(path, state);
        var target = Model(2);
        var before = Snapshot(target);

        var error = Assert.Throws<InvalidDataException>(() => target.Load(path));
        Assert.Contains("unexpected tensor '7.weight'", error.Message);
        AssertSameState(before, target);

        var result = target.Load(path, strict: false);
        Assert.Equal(["7.weight"], result.UnexpectedKeys);
        Assert.Empty(result.MissingKeys);
        Assert.Equal(state["6.weight"].Item2, target[6] is Linear linear ? linear.Weight.ToArray() : null);
    }

    [Fact]
    public void Load_ShapeMismatch_ThrowsEvenWhenNotStrictAndChangesNothing()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("wide.safetensors");
        var wide = new Sequential(new Linear(4, 3, generator: new Generator(1)), new Relu(), new Linear(3, 2, generator: new Generator(1)));
        wide.Save(path);
        var narrow = new Sequential(new Linear(4, 5, generator: new Generator(2)), new Relu(), new Linear(5, 2, generator: new Generator(2)));
        var before = Snapshot(narrow);

        var error = Assert.Throws<InvalidDataException>(() => narrow.Load(path, strict: false));

        Assert.Contains(path, error.Message);
        Assert.Contains("tensor '0.weight' has shape (3, 4) in the file but (5, 4) in the module", error.Message);
        Assert.Contains("'2.weight'", error.Message);
        Assert.Contains("Nothing was loaded", error.Message);
        AssertSameState(before, narrow);
    }

    [Fact]
    public void Load_MalformedFile_ThrowsAndChangesNothing()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("broken.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var target = Model(2);
        var before = Snapshot(target);

        Assert.Throws<InvalidDataException>(() => target.Load(path));

        AssertSameState(before, target);
    }

    [Fact]
    public void LoadStateDict_FromOtherModule_CopiesValuesNotTensors()
    {
        var source = Model(1);
        var target = Model(2);

        target.LoadStateDict(source.StateDict());

        AssertSameState(Snapshot(source), target);
        Assert.NotSame(((Linear)source[6]).Weight, ((Linear)target[6]).Weight);
        Assert.True(((Linear)target[6]).Weight.RequiresGrad);
        Assert.True(((Linear)target[6]).Weight.IsLeaf);
    }
}
