using Generative;
using Generative.Tests.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using Tensor = Generative.Tensors.Tensor;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Ops;

/// <summary>The largest difference between the engine's and TorchSharp's values of one result (the forward output or
/// one input's gradient): absolute, relative to |torch|, and relative to max(1, |torch|), the measure the tolerances
/// bound.</summary>
public sealed record Difference(string What, int Count, double MaxAbsolute, double MaxRelative, double MaxScaled)
{
    public static Difference Of(string what, float[] ours, float[] torch)
    {
        Assert.True(ours.Length == torch.Length, $"{what}: {ours.Length} values against TorchSharp's {torch.Length}");
        double absolute = 0, relative = 0, scaled = 0;
        for (var i = 0; i < ours.Length; i++)
        {
            double error = Math.Abs((double)ours[i] - torch[i]), magnitude = Math.Abs((double)torch[i]);
            absolute = Math.Max(absolute, error);
            relative = Math.Max(relative, error == 0 ? 0 : error / magnitude);
            scaled = Math.Max(scaled, error / Math.Max(1, magnitude));
        }
        return new Difference(what, ours.Length, absolute, relative, scaled);
    }

    public override string ToString() => $"{What}: max abs {MaxAbsolute:g3}, max rel {MaxRelative:g3} ({Count} values)";
}

/// <summary>One row of the gradient table run through both engines: its forward difference and one per input gradient.</summary>
public sealed record OpComparison(string Op, OpTolerance Tolerance, Difference Forward, Difference[] Gradients)
{
    /// <summary>Seed of the upstream gradient d loss / d out, the same as the finite-difference suite's.</summary>
    public const ulong UpstreamSeed = 99;

    public IEnumerable<Difference> All => Gradients.Prepend(Forward);

    public double WorstScaled => All.Max(d => d.MaxScaled);

    /// <summary>Runs <paramref name="op"/> in the engine and <paramref name="counterpart"/> in TorchSharp on the row's
    /// seeded inputs, backpropagates the same seeded random upstream gradient through both (the gradient of
    /// sum(out * g)), and measures the differences. Shapes must agree exactly.</summary>
    public static OpComparison Run(OpCase op, TorchOp counterpart)
    {
        var inputs = op.MakeInputs(requiresGrad: true);
        var output = op.Engine(inputs);
        var upstream = Tensor.Randn(output.Shape, new Generator(UpstreamSeed));
        output.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        // Parameters are leaves that keep their gradient, and a module (the LSTM cell) can adopt them as its weights.
        var leaves = inputs.Select(t => (TorchTensor)new Parameter(ToTorch(t), requires_grad: true)).ToArray();
        var (torchOutput, module) = counterpart.Forward(leaves);
        using var moduleLifetime = module;
        Assert.True(output.Shape.SequenceEqual(torchOutput.shape.Select(d => (int)d)),
            $"{op.Name}: engine output shape [{string.Join(", ", output.Shape)}], TorchSharp's [{string.Join(", ", torchOutput.shape)}]");
        (torchOutput * ToTorch(upstream)).sum().backward();

        var forward = Difference.Of("forward", output.ToArray(), ToArray(torchOutput));
        var gradients = new Difference[inputs.Length];
        for (var k = 0; k < inputs.Length; k++)
        {
            var ours = inputs[k].Grad ?? throw new InvalidOperationException($"{op.Name}: the engine left input {k} without a gradient");
            var theirs = leaves[k].grad ?? throw new InvalidOperationException($"{op.Name}: TorchSharp left input {k} without a gradient");
            Assert.True(ours.Shape.SequenceEqual(theirs.shape.Select(d => (int)d)), $"{op.Name}: gradient {k} shapes differ");
            gradients[k] = Difference.Of($"gradient of input {k}", ours.ToArray(), ToArray(theirs));
        }
        return new OpComparison(op.Name, counterpart.Tolerance, forward, gradients);
    }

    /// <summary>Fails naming the op, the result and the tolerance when any difference exceeds the tolerance.</summary>
    public void AssertWithinTolerance()
    {
        foreach (var difference in All)
        {
            Assert.True(difference.MaxScaled <= Tolerance.Relative,
                $"{Op}, {difference}: {difference.MaxScaled:g3} relative to max(1, |torch|) exceeds {Tolerance}");
        }
    }

    private static TorchTensor ToTorch(Tensor t) => torch.tensor(t.ToArray(), t.Shape.Select(d => (long)d).ToArray());

    private static float[] ToArray(TorchTensor t) => t.detach().contiguous().data<float>().ToArray();
}
