using Generative.NN;
using Generative.Tensors;
using Generative.Tensors.Kernels;

namespace Generative.Tests.Tensors.Kernels;

/// <summary>The range splitter behind the multi-threaded elementwise passes, and the promise it makes: splitting an
/// elementwise op over threads changes no bit of its result or of its gradients.</summary>
[Collection(ChangesGemmThreadsCollection.Name)]
public unsafe class ParallelRangesTests
{
    public static TheoryData<int> Lengths => [0, 1, 63, ParallelRanges.MinimumLength - 1, ParallelRanges.MinimumLength,
        3 * ParallelRanges.MinimumLength + 5, 1_000_003];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void For_AnyLength_CoversEveryIndexOnceInAlignedRanges(int length)
    {
        var ranges = new List<(int Start, int Length)>();
        ChangesGemmThreadsCollection.WithThreads(2, () =>
        {
            ParallelRanges.For(length, (start, count) => { lock (ranges) ranges.Add((start, count)); });
            return 0;
        });

        ranges.Sort();
        var expected = 0;
        foreach (var (start, count) in ranges)
        {
            Assert.Equal(expected, start);
            Assert.Equal(0, start % 64);
            expected = start + count;
        }
        Assert.Equal(length, expected);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void For_PointerForm_VisitsEveryIndexOnce(int length)
    {
        var hits = new int[length];
        ChangesGemmThreadsCollection.WithThreads(2, () =>
        {
            fixed (int* state = hits)
            {
                ParallelRanges.For(length, state, &CountHits);
            }
            return 0;
        });

        Assert.All(hits, h => Assert.Equal(1, h));
    }

    private static void CountHits(void* state, int start, int length)
    {
        var hits = (int*)state;
        for (var i = start; i < start + length; i++)
        {
            hits[i]++;
        }
    }

    [Fact]
    public void For_BodyThrowsInAnyRange_CallerGetsThatExceptionUnwrapped()
    {
        var length = 4 * ParallelRanges.MinimumLength;

        var error = ChangesGemmThreadsCollection.WithThreads(2, () => Assert.Throws<InvalidOperationException>(() =>
            ParallelRanges.For(length, (start, count) =>
            {
                if (start + count == length) throw new InvalidOperationException("last range");
            })));

        Assert.Equal("last range", error.Message);
    }

    [Fact]
    public void PartsFor_ShortSpanOrOneThread_StaysOnTheCallingThread()
    {
        Assert.Equal(1, ChangesGemmThreadsCollection.WithThreads(2, () => ParallelRanges.PartsFor(ParallelRanges.MinimumLength - 1)));
        Assert.Equal(2, ChangesGemmThreadsCollection.WithThreads(2, () => ParallelRanges.PartsFor(128 * 784)));
        Assert.Equal(1, ChangesGemmThreadsCollection.WithThreads(1, () => ParallelRanges.PartsFor(128 * 784)));
    }

    public static TheoryData<string> ElementwiseOps => ["Sigmoid", "Tanh", "Exp", "Relu", "LeakyRelu", "Softplus", "BceWithLogits", "MaskedLinear"];

    /// <summary>A batch of MNIST size (above the split threshold) through <paramref name="op"/>, forward and backward.</summary>
    private static float[][] ForwardAndBackward(string op)
    {
        var generator = new Generator(11);
        var x = Tensor.Randn([128, 784], generator) * 3f;
        x.RequiresGrad = true;
        var targets = Tensor.Bernoulli(Tensor.Full([128, 784], 0.4f), generator);
        var weight = Tensor.Randn([300, 784], generator) * 0.05f;
        weight.RequiresGrad = true;
        var mask = Tensor.Bernoulli(Tensor.Full([300, 784], 0.5f), generator);
        var y = op switch
        {
            "Sigmoid" => x.Sigmoid(),
            "Tanh" => x.Tanh(),
            "Exp" => x.Exp(),
            "Relu" => x.Relu(),
            "LeakyRelu" => x.LeakyRelu(0.2f),
            "Softplus" => x.Softplus(),
            "BceWithLogits" => Losses.BinaryCrossEntropyWithLogits(x, targets, Reduction.None),
            "MaskedLinear" => Tensor.MaskedLinear(x, weight, mask, null),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
        var upstream = Tensor.Randn(y.Shape, generator);
        y.Backward(upstream);
        return [y.ToArray(), x.Grad!.ToArray(), weight.Grad?.ToArray() ?? []];
    }

    [Theory]
    [MemberData(nameof(ElementwiseOps))]
    public void ElementwiseOp_TwoThreads_SameBitsAsOne(string op)
    {
        var one = ChangesGemmThreadsCollection.WithThreads(1, () => ForwardAndBackward(op));
        var two = ChangesGemmThreadsCollection.WithThreads(2, () => ForwardAndBackward(op));

        for (var i = 0; i < one.Length; i++)
        {
            Assert.True(one[i].AsSpan().SequenceEqual(two[i]), $"{op}: output {i} differs between one and two threads");
        }
    }
}
