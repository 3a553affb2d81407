using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

/// <summary>Parameter, buffer and submodule discovery, naming, train/eval and gradient housekeeping of <see cref="Module"/>.</summary>
public class ModuleTests
{
    /// <summary>A module written the way a notebook would: fields only, no registration calls.</summary>
    private sealed class Autoencoder : Module<Tensor, Tensor>
    {
        private readonly Sequential _encoder;
        private readonly Tensor _scale = Parameter(Tensor.Ones(1));
        [Buffer]
        private readonly Tensor _stepCount = Tensor.Zeros(1);
        private readonly Tensor _constant = Tensor.Ones(3); // neither parameter nor buffer: ignored
        private readonly Linear[] _heads;
        private readonly int _notATensor = 3;

        public Autoencoder(Generator generator)
        {
            _encoder = new Sequential(new Linear(4, 3, generator: generator), new Relu(), new BatchNorm1d(3));
            _heads = [new Linear(3, 2, generator: generator), new Linear(3, 1, bias: false, generator: generator)];
        }

        public Sequential Encoder => _encoder;

        public override Tensor Forward(Tensor input) => _heads[0].Forward(_encoder.Forward(input) * _scale + _constant * _notATensor);
    }

    [Fact]
    public void NamedParameters_FieldsOnly_DottedNamesInPyTorchOrder()
    {
        var model = new Autoencoder(new Generator(1));

        var names = model.NamedParameters().Select(p => p.Name).ToArray();

        // Own parameters first, then each submodule in field order; Sequential's children are "0", "1", ...
        Assert.Equal(["scale", "encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
            "heads.0.weight", "heads.0.bias", "heads.1.weight"], names);
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void NamedBuffers_AttributeAndBatchNormStats_Listed()
    {
        var model = new Autoencoder(new Generator(1));

        Assert.Equal(["step_count", "encoder.2.running_mean", "encoder.2.running_var"], model.NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void NamedModules_Tree_SelfFirstThenDepthFirst()
    {
        var model = new Autoencoder(new Generator(1));

        var modules = model.NamedModules().Select(m => (m.Name, m.Module.GetType().Name)).ToArray();

        Assert.Equal([("", "Autoencoder"), ("encoder", "Sequential"), ("encoder.0", "Linear"), ("encoder.1", "Relu"),
            ("encoder.2", "BatchNorm1d"), ("heads.0", "Linear"), ("heads.1", "Linear")], modules);
        Assert.Equal(["encoder", "heads.0", "heads.1"], model.NamedChildren().Select(c => c.Name));
    }

    [Fact]
    public void ParameterCount_Linear784To400_Is314000()
    {
        Assert.Equal(784 * 400 + 400, new Linear(784, 400).ParameterCount);
        Assert.Equal(314_000, new Linear(784, 400).ParameterCount);
    }

    [Fact]
    public void ParameterCount_MadeSizedMlp_SumsLayers()
    {
        var mlp = new Sequential(new Linear(784, 500), new Relu(), new Linear(500, 500), new Relu(), new Linear(500, 784));

        Assert.Equal(785 * 500 + 501 * 500 + 501 * 784, mlp.ParameterCount);
        Assert.Equal(6, mlp.Parameters().Count());
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], mlp.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void ParameterCount_DcganDiscriminator_MatchesPyTorch()
    {
        // PyTorch: Conv2d(1, 64, 4, 2, 1), LeakyReLU, Conv2d(64, 128, 4, 2, 1), BatchNorm2d(128), LeakyReLU, Flatten, Linear(6272, 1).
        var discriminator = new Sequential(new Conv2d(1, 64, 4, 2, 1), new LeakyRelu(0.2f), new Conv2d(64, 128, 4, 2, 1),
            new BatchNorm2d(128), new LeakyRelu(0.2f), new Flatten(), new Linear(128 * 7 * 7, 1));

        Assert.Equal(1088 + 131_200 + 256 + 6273, discriminator.ParameterCount);
    }

    [Fact]
    public void TrainEval_Recursive_SetsEverySubmodule()
    {
        var model = new Autoencoder(new Generator(1));
        Assert.All(model.NamedModules(), m => Assert.True(m.Module.Training));

        model.Eval();
        Assert.All(model.NamedModules(), m => Assert.False(m.Module.Training));

        model.Encoder.Train();
        Assert.False(model.Training);
        Assert.All(model.Encoder.NamedModules(), m => Assert.True(m.Module.Training));
    }

    [Fact]
    public void ZeroGrad_AfterBackward_ClearsEveryParameterGradient()
    {
        var model = new Autoencoder(new Generator(1));
        model.Forward(Tensor.Randn([5, 4], new Generator(2))).Sum().Backward();
        Assert.Contains(model.Parameters(), p => p.Grad is not null);

        model.ZeroGrad();

        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void NamedParameters_FrozenAfterDiscovery_StaysAParameter()
    {
        var layer = new Linear(3, 2);
        Assert.Equal(2, layer.Parameters().Count());

        layer.Weight.RequiresGrad = false;

        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.Contains("weight", layer.StateDict().Keys);
    }

    private sealed class Tied : Module<Tensor, Tensor>
    {
        public Linear First { get; } = new(3, 3);
        public Linear Second { get; }
        [field: NotRegistered] // registered explicitly below under "extra"
        public Tensor Extra { get; }

        public Tied()
        {
            Second = First;
            Extra = RegisterParameter("extra", Tensor.Zeros(2));
            RegisterBuffer("mean", Tensor.Zeros(3));
            RegisterModule("head", new Sigmoid());
        }

        public override Tensor Forward(Tensor input) => Second.Forward(First.Forward(input));
    }

    [Fact]
    public void NamedParameters_SharedModuleAndExplicitRegistration_ListedOnce()
    {
        var model = new Tied();

        Assert.Equal(["extra", "first.weight", "first.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["mean"], model.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["first", "second", "head"], model.NamedChildren().Select(c => c.Name));
        Assert.Equal(3 * 3 + 3 + 2, model.ParameterCount);
    }

    [Fact]
    public void RegisterParameter_NameOfADiscoveredField_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new TiedWithClash());

        Assert.Contains("'weight' is already registered", error.Message);
    }

    private sealed class TiedWithClash : Module<Tensor, Tensor>
    {
        public Tensor Weight { get; } = Parameter(Tensor.Zeros(2));

        public TiedWithClash() => RegisterParameter("weight", Tensor.Zeros(2));

        public override Tensor Forward(Tensor input) => input;
    }

    [Theory]
    [InlineData("_weight", "weight")]
    [InlineData("<Weight>k__BackingField", "weight")]
    [InlineData("_runningMean", "running_mean")]
    [InlineData("<RunningVar>k__BackingField", "running_var")]
    [InlineData("<WeightIh>k__BackingField", "weight_ih")]
    [InlineData("fc1", "fc1")]
    [InlineData("_convIn2", "conv_in2")]
    [InlineData("encoderMLPLayer", "encoder_mlp_layer")]
    public void MemberName_FieldNames_PyTorchSnakeCase(string field, string expected)
    {
        Assert.Equal(expected, Module.MemberName(field));
    }

    [Fact]
    public void ToString_Sequential_PrintsTreeWithConfiguration()
    {
        var model = new Sequential(new Linear(784, 400), new Relu(), new Dropout(0.25f));

        Assert.Equal(
            "Sequential(\n  (0): Linear(inFeatures: 784, outFeatures: 400, bias: true)\n  (1): Relu()\n  (2): Dropout(p: 0.25)\n)",
            model.ToString());
    }

    [Fact]
    public void Sequential_Forward_AppliesLayersInOrder()
    {
        var generator = new Generator(5);
        var first = new Linear(4, 3, generator: generator);
        var second = new Linear(3, 2, generator: generator);
        var x = Tensor.Randn([6, 4], generator);

        var expected = second.Forward(first.Forward(x).Tanh());
        var actual = new Sequential(first, new Tanh(), second).Forward(x);

        Assert.Equal(expected.ToArray(), actual.ToArray());
    }
}
