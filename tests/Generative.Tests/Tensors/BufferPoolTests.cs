using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.Tensors;

/// <summary>Gradient buffers that die inside a backward pass are recycled: later passes reuse them and compute the same
/// gradients. Runs alone: the pool is process-wide, and other tests' backward passes would take from it meanwhile.</summary>
[Collection(MeasuresProcessMemoryCollection.Name)]
public class BufferPoolTests
{
    private static (Tensor Loss, Tensor[] Parameters) Mlp(Tensor x, Linear first, Linear second) =>
        ((second.Forward(first.Forward(x).Relu()).Sigmoid() * 3f).Sum(), [first.Weight, first.Bias!, second.Weight, second.Bias!]);

    [Fact]
    public void Backward_RepeatedSteps_ReuseRecycledBuffersAndGiveTheSameGradients()
    {
        var generator = new Generator(8);
        var first = new Linear(300, 200, generator: generator);
        var second = new Linear(200, 150, generator: generator);
        var x = Tensor.Randn([64, 300], generator);

        float[][] Step(out long allocated)
        {
            var (loss, parameters) = Mlp(x, first, second);
            foreach (var p in parameters) p.ZeroGrad();
            var before = GC.GetAllocatedBytesForCurrentThread();
            loss.Backward();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return parameters.Select(p => p.Grad!.ToArray()).ToArray();
        }

        var firstGradients = Step(out var firstAllocated);
        Assert.True(BufferPool.PooledFloats > 0, "the first backward pass returned no dead gradient to the pool");
        var secondGradients = Step(out var secondAllocated);
        var thirdGradients = Step(out var thirdAllocated);

        // The (64, 150) and (64, 200) gradients between the ops come from the pool the second time round; the leaves'
        // new gradients (kept as Grad) and small bookkeeping objects are still fresh allocations.
        var intermediateBytes = 4L * (64 * 150 + 64 * 200);
        Assert.True(secondAllocated < firstAllocated - intermediateBytes,
            $"first backward allocated {firstAllocated} bytes, second {secondAllocated}: expected at least {intermediateBytes} fewer");
        Assert.True(thirdAllocated <= secondAllocated + 4096, $"third backward allocated {thirdAllocated} bytes, second {secondAllocated}");
        for (var i = 0; i < firstGradients.Length; i++)
        {
            Assert.Equal(firstGradients[i], secondGradients[i]);
            Assert.Equal(firstGradients[i], thirdGradients[i]);
        }
    }

    [Fact]
    public void Allocate_OutsideBackward_NeverHandsOutPooledArrays()
    {
        var array = new float[1234];
        BufferPool.Return(array);

        Assert.NotSame(array, BufferPool.Allocate(1234));
        Assert.Equal(1234, BufferPool.Allocate(1234).Length);
    }

    [Fact]
    public void Return_BeyondPerLengthLimit_KeepsExactlyTheLimit()
    {
        const int length = 4321;
        var before = BufferPool.PooledFloats;
        for (var i = 0; i < BufferPool.MaxPerLength + 5; i++)
        {
            BufferPool.Return(new float[length]);
        }

        Assert.Equal((long)BufferPool.MaxPerLength * length, BufferPool.PooledFloats - before);
    }
}
