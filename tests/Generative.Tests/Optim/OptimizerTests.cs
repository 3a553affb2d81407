using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Optim;

/// <summary>Behaviour every optimiser shares through <see cref="Optimizer"/>, checked on each of them.</summary>
public class OptimizerTests
{
    public static TheoryData<string> Optimizers => new() { "Sgd", "SgdMomentum", "Adam", "AdamW" };

    private static Optimizer Make(string name, IEnumerable<Tensor> parameters) => name switch
    {
        "Sgd" => new Sgd(parameters, 0.1),
        "SgdMomentum" => new Sgd(parameters, 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true),
        "Adam" => new Adam(parameters, 0.1, weightDecay: 0.01),
        "AdamW" => new AdamW(parameters, 0.1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_ParameterWithoutGrad_IsLeftUnchanged(string name)
    {
        var used = Tensor.FromArray([1f, 2f, 3f]);
        var unused = Tensor.FromArray([4f, 5f]);
        var optimizer = Make(name, [used, unused]);
        used.Grad = Tensor.FromArray([1f, -1f, 0.5f]);

        optimizer.Step();

        Assert.Equal(new[] { 4f, 5f }, unused.ToArray());
        Assert.NotEqual(new[] { 1f, 2f, 3f }, used.ToArray());
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ZeroGrad_Default_SetsGradToNull(string name)
    {
        var parameter = Tensor.FromArray([1f, 2f]);
        parameter.Grad = Tensor.FromArray([3f, 4f]);

        Make(name, [parameter]).ZeroGrad();

        Assert.Null(parameter.Grad);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ZeroGrad_NotSetToNone_ZeroesTheSameBufferInPlace(string name)
    {
        var parameter = Tensor.FromArray([1f, 2f]);
        parameter.RequiresGrad = true;
        (parameter * parameter).Sum().Backward();
        var grad = parameter.Grad!;

        Make(name, [parameter]).ZeroGrad(setToNone: false);
        (parameter * 3f).Sum().Backward();

        Assert.Same(grad, parameter.Grad);
        Assert.Equal(new[] { 3f, 3f }, parameter.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_AfterFirstStep_AllocatesNothing(string name)
    {
        var weight = Tensor.Randn([16, 8], new Generator(1));
        var bias = Tensor.Randn([8], new Generator(2));
        weight.Grad = Tensor.Randn([16, 8], new Generator(3));
        bias.Grad = Tensor.Randn([8], new Generator(4));
        var optimizer = Make(name, [weight, bias]);
        for (var i = 0; i < 5; i++)
        {
            optimizer.Step(); // allocates the state buffers, and lets the JIT settle
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            optimizer.Step();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_LazilyEnumeratedParameters_AreEnumeratedOnce(string name)
    {
        var enumerations = 0;
        var parameter = Tensor.FromArray([1f]);
        IEnumerable<Tensor> Parameters()
        {
            enumerations++;
            yield return parameter;
        }
        var optimizer = Make(name, Parameters());
        parameter.Grad = Tensor.FromArray([1f]);

        optimizer.Step();
        optimizer.Step();

        Assert.Equal(1, enumerations);
        Assert.Single(optimizer.Parameters);
        Assert.True(parameter.ToArray()[0] < 1f);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Step_LearningRateSetToZero_ChangesNothing(string name)
    {
        var parameter = Tensor.FromArray([1f, -2f]);
        parameter.Grad = Tensor.FromArray([0.5f, 0.5f]);
        var optimizer = Make(name, [parameter]);

        optimizer.LearningRate = 0;
        optimizer.Step();

        Assert.Equal(new[] { 1f, -2f }, parameter.ToArray());
    }

    [Fact]
    public void Step_GradientShapeMismatch_ThrowsNamingBothShapes()
    {
        var parameter = Tensor.Zeros(2, 3);
        parameter.Grad = Tensor.Zeros(4);
        var optimizer = new Sgd([parameter], 0.1);

        var error = Assert.Throws<InvalidOperationException>(optimizer.Step);

        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(4)", error.Message);
    }

    [Fact]
    public void Step_NonContiguousGrad_IsReadInLogicalOrder()
    {
        var parameter = Tensor.Zeros(2, 3);
        parameter.Grad = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 3, 2).T; // [[1, 3, 5], [2, 4, 6]]

        new Sgd([parameter], 1.0).Step();

        Assert.Equal(new[] { -1f, -3f, -5f, -2f, -4f, -6f }, parameter.ToArray());
    }

    [Fact]
    public void Constructor_DuplicateParameter_Throws()
    {
        var parameter = Tensor.Zeros(2);

        var error = Assert.Throws<ArgumentException>(() => new Adam([parameter, parameter]));

        Assert.Contains("more than once", error.Message);
    }

    [Fact]
    public void Constructor_NonLeafParameter_Throws()
    {
        var leaf = Tensor.Zeros(2);
        leaf.RequiresGrad = true;

        var error = Assert.Throws<ArgumentException>(() => new Sgd([leaf * 2f], 0.1));

        Assert.Contains("not a leaf", error.Message);
    }

    [Fact]
    public void LearningRate_Negative_Throws()
    {
        var optimizer = new Sgd([Tensor.Zeros(1)], 0.1);

        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1);
    }

    [Fact]
    public void Constructor_InfiniteLearningRate_ThrowsNamingLearningRate()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([Tensor.Zeros(1)], double.PositiveInfinity));

        Assert.Equal("learningRate", exception.ParamName);
        Assert.Contains("Sgd: the learning rate must be finite and non-negative", exception.Message);
    }
}
