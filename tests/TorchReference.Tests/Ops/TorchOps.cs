using Generative.Tests.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.nn.functional;
using TorchTensor = TorchSharp.torch.Tensor;

namespace TorchReference.Tests.Ops;

/// <summary>One row of the gradient table written in TorchSharp: the same computation as the engine's, on the same
/// inputs (as TorchSharp leaves, in the row's order), and the tolerance the comparison uses. A row computed by a
/// libtorch module also returns the module, to be disposed once the gradients are read (disposing a module disposes
/// the parameters it holds, here the row's leaves).</summary>
public sealed record TorchOp(Func<TorchTensor[], (TorchTensor Output, IDisposable? Module)> Forward, OpTolerance Tolerance)
{
    public TorchOp(Func<TorchTensor[], TorchTensor> forward, OpTolerance tolerance) : this(x => (forward(x), null), tolerance)
    {
    }
}

/// <summary>
/// The TorchSharp counterpart of every row of <see cref="OpCase.Table"/>, keyed by the row's name. Each is written with
/// libtorch's own op for the engine op under test (its functional conv2d, batch_norm, LSTMCell, ...), not rebuilt from
/// smaller ones, so that the two engines share nothing but the definition.
/// </summary>
internal static class TorchOps
{
    private static OpTolerance Exact => OpTolerance.Exact;

    private static OpTolerance Arithmetic => OpTolerance.Arithmetic;

    private static OpTolerance Transcendental => OpTolerance.Transcendental;

    private static OpTolerance Sum(int terms) => OpTolerance.Sum(terms);

    private static TorchTensor Long(params long[] values) => torch.tensor(values, torch.int64);

    private static TorchTensor Floats(float[] values) => torch.tensor(values);

    private static long[] Pair(long value) => [value, value];

    /// <summary>The keep mask the engine's Dropout documents (element i kept when the i-th Bernoulli(1 - p) draw of a
    /// fresh generator with the seed is true), as 0/1 floats: libtorch draws its own mask from its own generator, so the
    /// comparison fixes the mask and checks what dropout does with it (zero, scale by 1 / (1 - p), route the gradient).
    /// DropoutAgainstTorchTests checks the scale, the gradient and the kept fraction against libtorch's own dropout.</summary>
    internal static TorchTensor DropoutMask(int count, float p, ulong seed)
    {
        var generator = new Generative.Generator(seed);
        var keep = 1.0 - p;
        var mask = new float[count];
        for (var i = 0; i < count; i++)
        {
            mask[i] = generator.Bernoulli(keep) ? 1 : 0;
        }
        return torch.tensor(mask);
    }

    private static (TorchTensor, IDisposable) Embedding(TorchTensor[] x)
    {
        // libtorch's Embedding module (TorchSharp has no functional form) with the row's leaf as its table.
        var table = torch.nn.Embedding(4, 3);
        table.weight = (Parameter)x[0];
        return (table.forward(Floats(LayerOpCases.TokenIds).to(torch.int64).reshape(2, 3)), table);
    }

    private static (TorchTensor, IDisposable) Lstm(TorchTensor[] x)
    {
        // libtorch's LSTMCell module with the row's leaves as its parameters (they are created as Parameters), so the
        // gradients land on the same leaves as for the other rows.
        var cell = torch.nn.LSTMCell(3, 2);
        cell.weight_ih = (Parameter)x[3];
        cell.weight_hh = (Parameter)x[4];
        cell.bias_ih = (Parameter)x[5];
        cell.bias_hh = (Parameter)x[6];
        var (h, c) = cell.forward(x[0], (x[1], x[2]));
        return (torch.cat([h, c], 1), cell);
    }

    public static readonly IReadOnlyDictionary<string, TorchOp> ByName = new Dictionary<string, TorchOp>
    {
        ["Add same shape"] = new(x => x[0] + x[1], Arithmetic),
        ["Add row vector"] = new(x => x[0] + x[1], Arithmetic),
        ["Add column and row"] = new(x => x[0] + x[1], Sum(4)),
        ["Sub column"] = new(x => x[0] - x[1], Sum(3)),
        ["Sub scalar tensor"] = new(x => x[1] - x[0], Sum(6)),
        ["Mul middle broadcast"] = new(x => x[0] * x[1], Sum(8)),
        ["Mul same tensor twice"] = new(x => x[0] * x[0] * x[1], Arithmetic),
        ["Div row vector"] = new(x => x[0] / x[1], Sum(2)),
        ["Div batch channels"] = new(x => x[0] / x[1], Sum(8)),
        ["Maximum"] = new(x => torch.maximum(x[0], x[1]), Exact),
        ["Minimum"] = new(x => torch.minimum(x[0], x[1]), Exact),

        ["Add float"] = new(x => x[0] + 2.5f, Arithmetic),
        ["Float minus tensor"] = new(x => 2.5f - x[0], Arithmetic),
        ["Mul float"] = new(x => -3f * x[0], Arithmetic),
        ["Div float"] = new(x => x[0] / 4f, Arithmetic),
        ["Float over tensor"] = new(x => 2f / x[0], Arithmetic),

        ["Neg"] = new(x => -x[0], Exact),
        ["Exp"] = new(x => x[0].exp(), Transcendental),
        ["Log"] = new(x => x[0].log(), Transcendental),
        ["Pow 2"] = new(x => x[0].pow(2), Arithmetic),
        ["Pow 3"] = new(x => x[0].pow(3), Transcendental),
        ["Pow -1.5"] = new(x => x[0].pow(-1.5), Transcendental),
        ["Sqrt"] = new(x => x[0].sqrt(), Arithmetic),
        ["Abs"] = new(x => x[0].abs(), Exact),
        ["Relu"] = new(x => relu(x[0]), Exact),
        ["LeakyRelu"] = new(x => leaky_relu(x[0], 0.2), Arithmetic),
        ["Sigmoid"] = new(x => x[0].sigmoid(), Transcendental),
        ["Sigmoid wide"] = new(x => x[0].sigmoid(), Transcendental),
        ["Tanh"] = new(x => x[0].tanh(), Transcendental),
        ["Softplus"] = new(x => softplus(x[0]), Transcendental),
        ["Softplus wide"] = new(x => softplus(x[0]), Transcendental),
        ["LogSigmoid wide"] = new(x => logsigmoid(x[0]), Transcendental),

        ["MatMul 2-D"] = new(x => x[0].matmul(x[1]), Sum(5)),
        ["MatMul transposed right"] = new(x => x[0].matmul(x[1].t()), Sum(5)),
        ["MatMul transposed left"] = new(x => x[0].t().matmul(x[1]), Sum(5)),
        ["MatMul batched"] = new(x => x[0].matmul(x[1]), Sum(5)),
        ["MatMul batched transposed"] = new(x => x[0].matmul(x[1].transpose(1, 2)), Sum(5)),
        ["MatMul batch times matrix"] = new(x => x[0].matmul(x[1]), Sum(6)),
        ["MatMul expanded operand"] = new(x => x[0].matmul(x[1].expand(4, 5)), Sum(15)),

        ["Sum all"] = new(x => x[0].sum(), Sum(24)),
        ["Sum dim 0"] = new(x => x[0].sum(0L, keepdim: false), Sum(2)),
        ["Sum dim 1 keepDim"] = new(x => x[0].sum(1, keepdim: true), Sum(3)),
        ["Sum dims 0 and 2"] = new(x => x[0].sum(new long[] { 0, -1 }, keepdim: false), Sum(8)),
        ["Sum of transposed view"] = new(x => x[0].t().sum(1), Sum(3)),
        ["Mean all"] = new(x => x[0].mean(), Sum(6)),
        ["Mean dim -1 keepDim"] = new(x => x[0].mean(new long[] { -1 }, keepdim: true), Sum(4)),
        ["Var dim 0"] = new(x => x[0].var(0), Sum(5)),
        ["Var all"] = new(x => x[0].var(), Sum(8)),
        ["Max dim 1"] = new(x => x[0].max(1).values, Exact),
        ["Max dim 0 keepDim"] = new(x => x[0].max(0, keepdim: true).values, Exact),
        ["Max all"] = new(x => x[0].max(), Exact),
        ["Min dim 1"] = new(x => x[0].min(1).values, Exact),
        ["LogSumExp dim 1"] = new(x => x[0].logsumexp(1), Sum(5)),
        ["LogSumExp dim 0 wide"] = new(x => x[0].logsumexp(0), Sum(4)),
        ["LogSumExp middle keepDim"] = new(x => x[0].logsumexp(1, keepdim: true), Sum(3)),
        ["Softmax dim 1"] = new(x => x[0].softmax(1), Sum(4)),
        ["Softmax dim 0 wide"] = new(x => x[0].softmax(0), Sum(4)),
        ["LogSoftmax dim -1"] = new(x => x[0].log_softmax(-1), Sum(4)),

        ["Reshape"] = new(x => x[0].reshape(3, -1), Exact),
        ["Reshape of transposed (copies)"] = new(x => x[0].t().reshape(2, 6), Exact),
        ["Flatten"] = new(x => x[0].flatten(1), Exact),
        ["Transpose"] = new(x => x[0].transpose(0, 2), Exact),
        ["Permute"] = new(x => x[0].permute(2, 0, 1), Exact),
        ["Exp of permuted view"] = new(x => x[0].permute(1, 2, 0).exp(), Transcendental),
        ["Narrow"] = new(x => x[0].narrow(1, 1, 3), Exact),
        ["Slice with step"] = new(x => x[0].slice(0, 1, 7, 2), Exact),
        ["Select"] = new(x => x[0].select(0, -1), Exact),
        ["Select of transposed"] = new(x => x[0].t().select(0, 1) * x[0].select(1, 2), Arithmetic),
        ["Expand"] = new(x => x[0].expand(2, 3, 4), Sum(8)),
        ["Unsqueeze and Squeeze"] = new(x => x[0].unsqueeze(1).exp().squeeze(1), Transcendental),
        ["Contiguous"] = new(x => x[0].t().contiguous(), Exact),
        ["Clone"] = new(x => x[0].clone() * x[0], Arithmetic),

        ["IndexSelect repeated rows"] = new(x => x[0].index_select(0, Long(2, 0, 2)), Exact),
        ["IndexSelect columns"] = new(x => x[0].index_select(1, Long(3, 1)), Exact),
        ["Cat dim 1"] = new(x => torch.cat([x[0], x[1]], 1), Exact),
        ["Cat dim 0 with itself"] = new(x => torch.cat([x[0], x[1], x[0]], 0), Exact),
        ["Stack dim 1"] = new(x => torch.stack([x[0], x[1]], 1), Exact),
        ["Where broadcast"] = new(x => torch.where(Floats(OpCase.WhereCondition.ToArray()).reshape(2, 3).ne(0), x[0], x[1]), Exact),
        ["Clamp"] = new(x => x[0].clamp(-0.5f, 0.7f), Exact),

        ["Linear with bias"] = new(x => linear(x[0], x[1], x[2]), Sum(5)),
        ["Linear without bias"] = new(x => linear(x[0], x[1]), Sum(5)),
        ["Linear of transposed input view"] = new(x => linear(x[0].t(), x[1], x[2]), Sum(5)),
        ["Linear of transposed weight view"] = new(x => linear(x[0], x[1].t(), x[2]), Sum(5)),
        ["Linear one row"] = new(x => linear(x[0], x[1], x[2]), Sum(4)),

        ["Conv2d stride 1 padding 1"] = new(x => conv2d(x[0], x[1], x[2], strides: Pair(1), padding: Pair(1)), Sum(50)),
        ["Conv2d stride 2 padding 1 no bias"] = new(x => conv2d(x[0], x[1], null, strides: Pair(2), padding: Pair(1)), Sum(18)),
        ["Conv2d 1x3 kernel stride 2"] = new(x => conv2d(x[0], x[1], x[2], strides: Pair(2)), Sum(6)),
        ["Conv2d of permuted view"] = new(x => conv2d(x[0].permute(0, 3, 1, 2), x[1], x[2], padding: Pair(1)), Sum(32)),
        ["ConvTranspose2d stride 2 padding 1"] = new(x => conv_transpose2d(x[0], x[1], x[2], strides: Pair(2), padding: Pair(1)), Sum(72)),
        ["ConvTranspose2d output padding"] =
            new(x => conv_transpose2d(x[0], x[1], null, strides: Pair(2), padding: Pair(1), output_padding: Pair(1)), Sum(18)),
        ["ConvTranspose2d stride 1"] = new(x => conv_transpose2d(x[0], x[1], x[2]), Sum(48)),

        ["BatchNorm training (N, C)"] =
            new(x => batch_norm(x[0], torch.zeros(3), torch.ones(3), x[1], x[2], training: true, eps: LayerOpCases.Eps), Sum(5)),
        ["BatchNorm training (N, C, H, W)"] =
            new(x => batch_norm(x[0], torch.zeros(3), torch.ones(3), x[1], x[2], training: true, eps: LayerOpCases.Eps), Sum(12)),
        ["BatchNorm training without affine or running stats"] =
            new(x => batch_norm(x[0], null, null, training: true, eps: LayerOpCases.Eps), Sum(12)),
        ["BatchNorm eval (running stats)"] =
            new(x => batch_norm(x[0], Floats(LayerOpCases.RunningMean), Floats(LayerOpCases.RunningVar), x[1], x[2], training: false,
                eps: LayerOpCases.Eps), Sum(8)),
        ["LayerNorm last dim"] = new(x => layer_norm(x[0], [5], x[1], x[2], eps: LayerOpCases.Eps), Sum(5)),
        ["LayerNorm last two dims no affine"] = new(x => layer_norm(x[0], [3, 4], eps: LayerOpCases.Eps), Sum(12)),
        ["LayerNorm of transposed view"] = new(x => layer_norm(x[0].t(), [4], x[1], x[2], eps: LayerOpCases.Eps), Sum(4)),

        ["Dropout p 0.4 seeded"] = new(x => x[0] * (DropoutMask(20, 0.4f, 7).reshape(4, 5) / (1 - 0.4f)), Arithmetic),
        ["Embedding repeated ids"] =
            new(Embedding, Sum(3)),
        ["LstmCell (hidden and cell)"] = new(Lstm, Sum(8)),
    };
}
