using Generative.Tensors.Kernels;

namespace Generative.Tests.Tensors;

/// <summary>The fork-join pool: every part runs exactly once, and all of them have finished when Run returns.</summary>
[Collection(ChangesGemmThreadsCollection.Name)]
public unsafe class WorkerPoolTests
{
    private struct Job
    {
        public int* Done;      // one counter per part
        public int Spin;       // how long each part works, to vary which thread finishes last
    }

    private static void RunPart(void* state, int part)
    {
        var job = (Job*)state;
        Thread.SpinWait(job->Spin * (1 + part % 3));
        Interlocked.Increment(ref job->Done[part]);
    }

    [Fact]
    public void Run_ManyCallsInARow_EveryPartHasFinishedOnceWhenRunReturns()
    {
        // Calls follow each other as a training step's GEMMs do. A part still running after Run returned would find
        // its counter already checked (and, in a kernel, its job's stack frame gone): each call checks all its
        // counters the moment Run returns, then the next call reuses the same memory. A stress test: the race that once
        // made Run return early (a worker's late signal from the previous call; see WorkerPool.Run) has a window of
        // nanoseconds, so this rarely catches it; it does catch any pool that returns before its parts are done.
        const int parts = 4;
        var counters = stackalloc int[parts];
        var random = new System.Random(1);
        var previous = WorkerPool.MaxDegreeOfParallelism;
        WorkerPool.MaxDegreeOfParallelism = parts;
        try
        {
            for (var call = 0; call < 50_000; call++)
            {
                for (var i = 0; i < parts; i++)
                {
                    counters[i] = 0;
                }
                var job = new Job { Done = counters, Spin = random.Next(0, 20) };

                WorkerPool.Run(&RunPart, &job, parts);

                for (var i = 0; i < parts; i++)
                {
                    Assert.True(counters[i] == 1, $"call {call}: part {i} ran {counters[i]} times by the time Run returned");
                }
            }
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = previous;
        }
    }
}
