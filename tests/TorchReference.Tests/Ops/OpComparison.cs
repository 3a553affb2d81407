using System.Text;
using Generative;
using Generative.Tests.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using Tensor = Generative.Tensors.Tensor;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Ops;

/// <summary>The largest difference between the engine's and TorchSharp's values of one result (the forward output or
/// one input's gradient): absolute, relative to |torch| (over the values TorchSharp does not hold at exactly zero, which
/// the absolute difference covers), and relative to max(1, |torch|), the measure the tolerances bound.</summary>
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
            if (magnitude > 0)
            {
                relative = Math.Max(relative, error / magnitude);
            }
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

    /// <summary>The largest absolute and relative differences over the gradients (zero for a row without any).</summary>
    public (double Absolute, double Relative) WorstGradient =>
        (Gradients.Select(d => d.MaxAbsolute).DefaultIfEmpty().Max(), Gradients.Select(d => d.MaxRelative).DefaultIfEmpty().Max());

    /// <summary>Runs <paramref name="op"/> in the engine and <paramref name="counterpart"/> in TorchSharp on the row's
    /// seeded inputs and compares them (see the other overload).</summary>
    public static OpComparison Run(OpCase op, TorchOp counterpart) => Run(op.Name, op.MakeInputs(requiresGrad: true), op.Engine, counterpart);

    /// <summary>Runs <paramref name="engine"/> and <paramref name="counterpart"/> (TorchSharp) on the same
    /// <paramref name="inputs"/>, backpropagates the same seeded random upstream gradient g through both (the gradient
    /// of sum(out * g)), and measures the differences of the outputs and of the gradients of every input that requires
    /// one (the others, such as targets, go to TorchSharp as constants). Shapes must agree exactly.</summary>
    public static OpComparison Run(string name, Tensor[] inputs, Func<Tensor[], Tensor> engine, TorchOp counterpart)
    {
        var output = engine(inputs);
        var upstream = Tensor.Randn(output.Shape, new Generator(UpstreamSeed));
        output.Backward(upstream);

        using var scope = torch.NewDisposeScope();
        // Parameters are leaves that keep their gradient, and a module (the LSTM cell) can adopt them as its weights.
        var leaves = inputs.Select(t => (TorchTensor)new Parameter(ToTorch(t), requires_grad: t.RequiresGrad)).ToArray();
        var (torchOutput, module) = counterpart.Forward(leaves);
        using var moduleLifetime = module;
        Assert.True(output.Shape.SequenceEqual(torchOutput.shape.Select(d => (int)d)),
            $"{name}: engine output shape [{string.Join(", ", output.Shape)}], TorchSharp's [{string.Join(", ", torchOutput.shape)}]");
        (torchOutput * ToTorch(upstream)).sum().backward();

        var forward = Difference.Of("forward", output.ToArray(), ToArray(torchOutput));
        var gradients = new List<Difference>();
        for (var k = 0; k < inputs.Length; k++)
        {
            if (!inputs[k].RequiresGrad)
            {
                continue;
            }
            var ours = inputs[k].Grad ?? throw new InvalidOperationException($"{name}: the engine left input {k} without a gradient");
            var theirs = leaves[k].grad ?? throw new InvalidOperationException($"{name}: TorchSharp left input {k} without a gradient");
            Assert.True(ours.Shape.SequenceEqual(theirs.shape.Select(d => (int)d)), $"{name}: gradient {k} shapes differ");
            gradients.Add(Difference.Of($"gradient of input {k}", ours.ToArray(), ToArray(theirs)));
        }
        return new OpComparison(name, counterpart.Tolerance, forward, [.. gradients]);
    }

    /// <summary>A markdown table of <paramref name="comparisons"/>, the closest to its tolerance first, then the five
    /// largest absolute differences.</summary>
    public static string Report(IEnumerable<OpComparison> comparisons)
    {
        var rows = comparisons.ToArray();
        var report = new StringBuilder();
        report.AppendLine("| op | tolerance | forward max abs | forward max rel | gradient max abs | gradient max rel | worst / tolerance |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var c in rows.OrderByDescending(c => c.WorstScaled / Math.Max(c.Tolerance.Relative, double.Epsilon)).ThenByDescending(c => c.WorstScaled))
        {
            var ratio = c.Tolerance.Relative == 0 ? (c.WorstScaled == 0 ? "0" : "inf") : $"{c.WorstScaled / c.Tolerance.Relative:F2}";
            report.AppendLine($"| {c.Op} | {c.Tolerance} | {c.Forward.MaxAbsolute:g3} | {c.Forward.MaxRelative:g3} | " +
                              $"{c.WorstGradient.Absolute:g3} | {c.WorstGradient.Relative:g3} | {ratio} |");
        }
        report.AppendLine().AppendLine("Largest absolute differences:");
        foreach (var (op, d) in rows.SelectMany(c => c.All.Select(d => (c.Op, d))).OrderByDescending(x => x.d.MaxAbsolute).Take(5))
        {
            report.AppendLine($"  {op}, {d}");
        }
        return report.ToString();
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
