using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Optim;

/// <summary>An optimiser's state, taken and restored (PyTorch's state_dict / load_state_dict): a copy continues with the
/// same updates; a state that does not fit is refused with every problem named and nothing changed.</summary>
public class OptimizerStateTests
{
    private static Tensor Leaf(Tensor tensor)
    {
        tensor.RequiresGrad = true;
        return tensor;
    }

    private static Tensor[] Parameters(ulong seed) => [Leaf(Tensor.Randn([3, 4], new Generator(seed))), Leaf(Tensor.Randn([4], new Generator(seed + 1)))];

    /// <summary>Steps <paramref name="optimizer"/> on a fixed quadratic loss, sum((θ - 1)²) over all parameters.</summary>
    private static void Steps(Optimizer optimizer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            optimizer.ZeroGrad();
            optimizer.Parameters.Select(p => ((p - 1f) * (p - 1f)).Sum()).Aggregate((a, b) => a + b).Backward();
            optimizer.Step();
        }
    }

    public static TheoryData<string> Kinds => ["Adam", "AdamW", "Sgd"];

    private static Optimizer Create(string kind, Tensor[] parameters) => kind switch
    {
        "Adam" => new Adam(parameters, 0.05),
        "AdamW" => new AdamW(parameters, 0.05),
        _ => new Sgd(parameters, 0.05, momentum: 0.9, nesterov: true),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SetState_OnAFreshOptimizerWithCopiedParameters_ContinuesWithTheSameUpdates(string kind)
    {
        var parameters = Parameters(1);
        var optimizer = Create(kind, parameters);
        Steps(optimizer, 3);
        optimizer.LearningRate = 0.02;

        var copies = parameters.Select(p => Leaf(Tensor.FromArray(p.ToArray(), p.Shape))).ToArray();
        var copy = Create(kind, copies);
        copy.SetState(optimizer.GetState());
        Assert.Equal(0.02, copy.LearningRate);
        Steps(optimizer, 2);
        Steps(copy, 2);
        Assert.Equal(parameters.Select(p => p.ToArray()), copies.Select(p => p.ToArray()));
    }

    [Fact]
    public void GetState_Adam_PyTorchNamesAndCopiesNotViews()
    {
        var optimizer = new Adam(Parameters(1), 0.05);
        Steps(optimizer, 2);
        var state = optimizer.GetState();
        Assert.Equal(["0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq"], state.Buffers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, state.Counters["1.step"]);
        var snapshot = state.Buffers["0.exp_avg"].ToArray();
        Steps(optimizer, 1);
        Assert.Equal(snapshot, state.Buffers["0.exp_avg"]);
    }

    [Fact]
    public void SetState_WrongKindLengthAndKey_RefusedListingEveryProblemAndNothingChanged()
    {
        var optimizer = new Adam(Parameters(1), 0.05);
        Steps(optimizer, 1);
        var before = optimizer.GetState();
        var bad = new OptimizerState("Sgd", -1, new Dictionary<string, float[]> { ["0.exp_avg"] = new float[5], ["7.exp_avg"] = new float[4] },
            new Dictionary<string, long> { ["0.step"] = -2 });
        var error = Assert.Throws<ArgumentException>(() => optimizer.SetState(bad));
        Assert.Contains("it is the state of Sgd, not Adam", error.Message);
        Assert.Contains("its learning rate -1 is not finite and non-negative", error.Message);
        Assert.Contains("buffer '0.exp_avg' has 5 values but parameter 0 has 12", error.Message);
        Assert.Contains("buffer '7.exp_avg' is not '<parameter 0..1>.<exp_avg|exp_avg_sq>'", error.Message);
        Assert.Contains("counter '0.step' is -2", error.Message);
        Assert.EndsWith("Nothing was changed. (Parameter 'state')", error.Message);
        var after = optimizer.GetState();
        Assert.Equal(before.Buffers.Select(b => (b.Key, b.Value)), after.Buffers.Select(b => (b.Key, b.Value)));
        Assert.Equal(1, optimizer.StepCount(0));
    }
}
