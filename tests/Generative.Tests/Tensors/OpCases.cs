using Generative.Tensors;
using Xunit.Abstractions;

namespace Generative.Tests.Tensors;

/// <summary>Where an op's test inputs are drawn from, so that finite differences stay away from kinks and poles.</summary>
public enum InputDomain
{
    /// <summary>Standard normal.</summary>
    Normal,

    /// <summary>Uniform in [0.5, 2): for log, sqrt, fractional powers and denominators.</summary>
    Positive,

    /// <summary>|x| uniform in [0.2, 2) with a random sign: for abs, relu and leaky relu, whose derivative jumps at 0.</summary>
    AwayFromZero,

    /// <summary>Normal times 12: exercises the stable paths of softplus, sigmoid and logsumexp.</summary>
    Wide,
}

/// <summary>
/// One differentiable op under test: its inputs' shapes and domains, the engine computation and an independent
/// double-precision reference. Serialised by name only, so each row shows up as its own test case.
/// </summary>
public sealed class OpCase : IXunitSerializable
{
    public OpCase()
    {
    }

    private OpCase(string name, (int[] Shape, InputDomain Domain)[] inputs, Func<Tensor[], Tensor> engine, Func<Ref[], Ref> reference)
    {
        Name = name;
        Inputs = inputs;
        Engine = engine;
        Reference = reference;
    }

    public string Name { get; private set; } = "";

    internal (int[] Shape, InputDomain Domain)[] Inputs { get; private set; } = [];

    internal Func<Tensor[], Tensor> Engine { get; private set; } = _ => throw new InvalidOperationException();

    internal Func<Ref[], Ref> Reference { get; private set; } = _ => throw new InvalidOperationException();

    public override string ToString() => Name;

    /// <summary>The row's inputs, drawn from their domains by a generator seeded from the name, so that every suite
    /// driven by this table (OpGradientTests against finite differences, TorchReference.Tests against TorchSharp) sees
    /// the same values.</summary>
    internal Tensor[] MakeInputs(bool requiresGrad)
    {
        var generator = new Generator((ulong)Name.Length * 7919 + 17);
        return Inputs.Select(input =>
        {
            var count = Ref.Count(input.Shape);
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = input.Domain switch
                {
                    InputDomain.Positive => (float)generator.Uniform(0.5, 2),
                    InputDomain.AwayFromZero => (float)(generator.Uniform(0.2, 2) * (generator.Bernoulli(0.5) ? 1 : -1)),
                    InputDomain.Wide => (float)generator.Normal(0, 12),
                    _ => (float)generator.Normal(),
                };
            }
            var tensor = Tensor.FromArray(values, input.Shape);
            tensor.RequiresGrad = requiresGrad;
            return tensor;
        }).ToArray();
    }

    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Name), Name);

    public void Deserialize(IXunitSerializationInfo info)
    {
        var found = All.Single(c => c.Name == info.GetValue<string>(nameof(Name)));
        (Name, Inputs, Engine, Reference) = (found.Name, found.Inputs, found.Engine, found.Reference);
    }

    /// <summary>Every differentiable op (primitives, composites and views), each row an independent check.</summary>
    public static TheoryData<OpCase> Table
    {
        get
        {
            var data = new TheoryData<OpCase>();
            foreach (var c in All)
            {
                data.Add(c);
            }
            return data;
        }
    }

    private static OpCase Unary(string name, InputDomain domain, Func<Tensor, Tensor> engine, Func<double, double> reference, params int[] shape) =>
        new(name, [(shape.Length == 0 ? [2, 3] : shape, domain)], x => engine(x[0]), r => r[0].Map(reference));

    private static OpCase Binary(string name, int[] a, InputDomain domainA, int[] b, InputDomain domainB,
        Func<Tensor, Tensor, Tensor> engine, Func<Ref, Ref, Ref> reference) =>
        new(name, [(a, domainA), (b, domainB)], x => engine(x[0], x[1]), r => reference(r[0], r[1]));

    private static OpCase Single(string name, int[] shape, InputDomain domain, Func<Tensor, Tensor> engine, Func<Ref, Ref> reference) =>
        new(name, [(shape, domain)], x => engine(x[0]), r => reference(r[0]));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    // Softplus reference by a different formula than the engine's (log1p of exp of the non-positive part, by cases).
    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    internal static readonly Tensor WhereCondition = Tensor.FromArray([1, 0, 0, 1, 1, 0], 2, 3);

    internal static readonly OpCase[] All =
    [
        // Broadcasting binary arithmetic (same shapes, trailing vector, outer product shapes, middle dimension).
        Binary("Add same shape", [2, 3], InputDomain.Normal, [2, 3], InputDomain.Normal, (a, b) => a + b, (a, b) => a + b),
        Binary("Add row vector", [2, 3], InputDomain.Normal, [3], InputDomain.Normal, (a, b) => a + b, (a, b) => a + b),
        Binary("Add column and row", [4, 1], InputDomain.Normal, [1, 3], InputDomain.Normal, (a, b) => a + b, (a, b) => a + b),
        Binary("Sub column", [2, 3], InputDomain.Normal, [2, 1], InputDomain.Normal, (a, b) => a - b, (a, b) => a - b),
        Binary("Sub scalar tensor", [2, 3], InputDomain.Normal, [], InputDomain.Normal, (a, b) => b - a, (a, b) => b - a),
        Binary("Mul middle broadcast", [2, 3, 4], InputDomain.Normal, [3, 1], InputDomain.Normal, (a, b) => a * b, (a, b) => a * b),
        Binary("Mul same tensor twice", [2, 3], InputDomain.Normal, [2, 3], InputDomain.Normal, (a, b) => a * a * b, (a, b) => a * a * b),
        Binary("Div row vector", [2, 3], InputDomain.Normal, [3], InputDomain.Positive, (a, b) => a / b, (a, b) => a / b),
        Binary("Div batch channels", [2, 3, 2, 2], InputDomain.Normal, [1, 3, 1, 1], InputDomain.Positive, (a, b) => a / b, (a, b) => a / b),
        Binary("Maximum", [2, 3], InputDomain.Normal, [3], InputDomain.Normal, Tensor.Maximum, (a, b) => Ref.Zip(a, b, Math.Max)),
        Binary("Minimum", [2, 3], InputDomain.Normal, [2, 3], InputDomain.Normal, Tensor.Minimum, (a, b) => Ref.Zip(a, b, Math.Min)),

        // Tensor-scalar arithmetic.
        Unary("Add float", InputDomain.Normal, x => x + 2.5f, x => x + 2.5),
        Unary("Float minus tensor", InputDomain.Normal, x => 2.5f - x, x => 2.5 - x),
        Unary("Mul float", InputDomain.Normal, x => -3f * x, x => -3 * x),
        Unary("Div float", InputDomain.Normal, x => x / 4f, x => x / 4),
        Unary("Float over tensor", InputDomain.Positive, x => 2f / x, x => 2 / x),

        // Unary primitives.
        Unary("Neg", InputDomain.Normal, x => -x, x => -x),
        Unary("Exp", InputDomain.Normal, x => x.Exp(), Math.Exp),
        Unary("Log", InputDomain.Positive, x => x.Log(), Math.Log),
        Unary("Pow 2", InputDomain.Normal, x => x.Pow(2), x => x * x),
        Unary("Pow 3", InputDomain.Normal, x => x.Pow(3), x => x * x * x),
        Unary("Pow -1.5", InputDomain.Positive, x => x.Pow(-1.5f), x => Math.Pow(x, -1.5)),
        Unary("Sqrt", InputDomain.Positive, x => x.Sqrt(), Math.Sqrt),
        Unary("Abs", InputDomain.AwayFromZero, x => x.Abs(), Math.Abs),
        Unary("Relu", InputDomain.AwayFromZero, x => x.Relu(), x => Math.Max(x, 0)),
        Unary("LeakyRelu", InputDomain.AwayFromZero, x => x.LeakyRelu(0.2f), x => x > 0 ? x : 0.2 * x),
        Unary("Sigmoid", InputDomain.Normal, x => x.Sigmoid(), Sigmoid),
        Unary("Sigmoid wide", InputDomain.Wide, x => x.Sigmoid(), Sigmoid),
        Unary("Tanh", InputDomain.Normal, x => x.Tanh(), Math.Tanh),
        Unary("Softplus", InputDomain.Normal, x => x.Softplus(), Softplus),
        Unary("Softplus wide", InputDomain.Wide, x => x.Softplus(), Softplus, 4, 5),
        Unary("LogSigmoid wide", InputDomain.Wide, x => x.LogSigmoid(), x => -Softplus(-x)),

        // Matrix products, including transposed views handed to GEMM without a copy.
        Binary("MatMul 2-D", [3, 4], InputDomain.Normal, [4, 5], InputDomain.Normal, Tensor.MatMul, Ref.MatMul),
        Binary("MatMul transposed right", [3, 4], InputDomain.Normal, [5, 4], InputDomain.Normal,
            (a, b) => a.MatMul(b.T), (a, b) => Ref.MatMul(a, b.Transpose(0, 1))),
        Binary("MatMul transposed left", [4, 3], InputDomain.Normal, [4, 5], InputDomain.Normal,
            (a, b) => a.T.MatMul(b), (a, b) => Ref.MatMul(a.Transpose(0, 1), b)),
        Binary("MatMul batched", [2, 3, 4], InputDomain.Normal, [2, 4, 5], InputDomain.Normal, Tensor.MatMul, Ref.MatMul),
        Binary("MatMul batched transposed", [2, 3, 4], InputDomain.Normal, [2, 5, 4], InputDomain.Normal,
            (a, b) => a.MatMul(b.Transpose(1, 2)), (a, b) => Ref.MatMul(a, b.Transpose(1, 2))),
        Binary("MatMul batch times matrix", [2, 3, 4], InputDomain.Normal, [4, 5], InputDomain.Normal, Tensor.MatMul,
            (a, b) => Ref.MatMul(a, b.Reshape(1, 4, 5).Expand(2, 4, 5))),
        Binary("MatMul expanded operand", [3, 4], InputDomain.Normal, [4, 1], InputDomain.Normal,
            (a, b) => a.MatMul(b.Expand(4, 5)), (a, b) => Ref.MatMul(a, b.Expand(4, 5))),

        // Reductions.
        Single("Sum all", [2, 3, 4], InputDomain.Normal, x => x.Sum(), x => x.Sum([0, 1, 2])),
        Single("Sum dim 0", [2, 3], InputDomain.Normal, x => x.Sum(0), x => x.Sum([0])),
        Single("Sum dim 1 keepDim", [2, 3, 4], InputDomain.Normal, x => x.Sum(1, keepDim: true), x => x.Sum([1], keepDim: true)),
        Single("Sum dims 0 and 2", [2, 3, 4], InputDomain.Normal, x => x.Sum([0, -1]), x => x.Sum([0, 2])),
        Single("Sum of transposed view", [3, 4], InputDomain.Normal, x => x.T.Sum(1), x => x.Transpose(0, 1).Sum([1])),
        Single("Mean all", [2, 3], InputDomain.Normal, x => x.Mean(), x => x.Mean([0, 1])),
        Single("Mean dim -1 keepDim", [2, 3, 4], InputDomain.Normal, x => x.Mean(-1, keepDim: true), x => x.Mean([2], keepDim: true)),
        Single("Var dim 0", [5, 3], InputDomain.Normal, x => x.Var(0), x => x.Var([0])),
        Single("Var all", [2, 4], InputDomain.Normal, x => x.Var(), x => x.Var([0, 1])),
        Single("Max dim 1", [3, 5], InputDomain.Normal, x => x.Max(1).Values, x => x.Max(1)),
        Single("Max dim 0 keepDim", [4, 3], InputDomain.Normal, x => x.Max(0, keepDim: true).Values, x => x.Max(0, keepDim: true)),
        Single("Max all", [3, 4], InputDomain.Normal, x => x.Max(), x => x.Reshape(12).Max(0)),
        Single("Min dim 1", [3, 4], InputDomain.Normal, x => x.Min(1).Values, x => x.Map(v => -v).Max(1).Map(v => -v)),
        Single("LogSumExp dim 1", [3, 5], InputDomain.Normal, x => x.LogSumExp(1), x => x.LogSumExp(1)),
        Single("LogSumExp dim 0 wide", [4, 3], InputDomain.Wide, x => x.LogSumExp(0), x => x.LogSumExp(0)),
        Single("LogSumExp middle keepDim", [2, 3, 4], InputDomain.Normal, x => x.LogSumExp(1, keepDim: true), x => x.LogSumExp(1, keepDim: true)),
        Single("Softmax dim 1", [3, 4], InputDomain.Normal, x => x.Softmax(1), x => x.Softmax(1)),
        Single("Softmax dim 0 wide", [4, 3], InputDomain.Wide, x => x.Softmax(0), x => x.Softmax(0)),
        Single("LogSoftmax dim -1", [3, 4], InputDomain.Wide, x => x.LogSoftmax(-1), x => x.LogSoftmax(1)),

        // Views and shape ops.
        Single("Reshape", [2, 6], InputDomain.Normal, x => x.Reshape(3, -1), x => x.Reshape(3, 4)),
        Single("Reshape of transposed (copies)", [3, 4], InputDomain.Normal, x => x.T.Reshape(2, 6), x => x.Transpose(0, 1).Reshape(2, 6)),
        Single("Flatten", [2, 3, 2], InputDomain.Normal, x => x.Flatten(1), x => x.Reshape(2, 6)),
        Single("Transpose", [2, 3, 4], InputDomain.Normal, x => x.Transpose(0, 2), x => x.Transpose(0, 2)),
        Single("Permute", [2, 3, 4], InputDomain.Normal, x => x.Permute(2, 0, 1), x => x.Permute(2, 0, 1)),
        Single("Exp of permuted view", [2, 3, 4], InputDomain.Normal, x => x.Permute(1, 2, 0).Exp(), x => x.Permute(1, 2, 0).Map(Math.Exp)),
        Single("Narrow", [4, 5], InputDomain.Normal, x => x.Narrow(1, 1, 3), x => x.Slice(1, 1, 4)),
        Single("Slice with step", [7, 3], InputDomain.Normal, x => x.Slice(0, 1, 7, 2), x => x.Slice(0, 1, 7, 2)),
        Single("Select", [3, 4], InputDomain.Normal, x => x.Select(0, -1), x => x.Select(0, 2)),
        Single("Select of transposed", [3, 4], InputDomain.Normal, x => x.T.Select(0, 1).Mul(x.Select(1, 2)), x => x.Select(1, 1) * x.Select(1, 2)),
        Single("Expand", [3, 1], InputDomain.Normal, x => x.Expand(2, 3, 4), x => x.Expand(2, 3, 4)),
        Single("Unsqueeze and Squeeze", [3, 4], InputDomain.Normal, x => x.Unsqueeze(1).Exp().Squeeze(1), x => x.Map(Math.Exp)),
        Single("Contiguous", [3, 4], InputDomain.Normal, x => x.T.Contiguous(), x => x.Transpose(0, 1)),
        Single("Clone", [3, 4], InputDomain.Normal, x => x.Clone() * x, x => x * x),

        // Indexing and joining.
        Single("IndexSelect repeated rows", [3, 4], InputDomain.Normal, x => x.IndexSelect(0, 2, 0, 2), x => x.IndexSelect(0, 2, 0, 2)),
        Single("IndexSelect columns", [3, 4], InputDomain.Normal, x => x.IndexSelect(1, Tensor.FromArray([3, 1])), x => x.IndexSelect(1, 3, 1)),
        Binary("Cat dim 1", [2, 3], InputDomain.Normal, [2, 2], InputDomain.Normal, (a, b) => Tensor.Cat([a, b], 1), (a, b) => Ref.Cat([a, b], 1)),
        Binary("Cat dim 0 with itself", [2, 3], InputDomain.Normal, [1, 3], InputDomain.Normal, (a, b) => Tensor.Cat([a, b, a], 0), (a, b) => Ref.Cat([a, b, a], 0)),
        Binary("Stack dim 1", [2, 3], InputDomain.Normal, [2, 3], InputDomain.Normal, (a, b) => Tensor.Stack([a, b], 1),
            (a, b) => Ref.Cat([a.Reshape(2, 1, 3), b.Reshape(2, 1, 3)], 1)),
        Binary("Where broadcast", [2, 3], InputDomain.Normal, [3], InputDomain.Normal, (a, b) => Tensor.Where(WhereCondition, a, b),
            (a, b) => Ref.ZipN([Ref.Of(WhereCondition.ToArray(), [2, 3]), a, b], v => v[0] != 0 ? v[1] : v[2])),
        Unary("Clamp", InputDomain.Normal, x => x.Clamp(-0.5f, 0.7f), x => Math.Clamp(x, -0.5, 0.7), 3, 4),

        // Layer ops (convolutions, normalisation, dropout, embedding, LSTM cell): rows in LayerOpCases.cs.
        .. LayerOpCases.All,
    ];

    /// <summary>A row with any number of inputs, for tables in other files.</summary>
    internal static OpCase Of(string name, (int[] Shape, InputDomain Domain)[] inputs, Func<Tensor[], Tensor> engine, Func<Ref[], Ref> reference) =>
        new(name, inputs, engine, reference);
}
