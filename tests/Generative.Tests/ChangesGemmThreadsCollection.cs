namespace Generative.Tests;

/// <summary>
/// Tests that change the process-wide <c>WorkerPool.MaxDegreeOfParallelism</c> to compare one thread with two: they run
/// alone, so no other test's timing or thread use depends on the setting meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChangesGemmThreadsCollection
{
    public const string Name = "Changes GEMM threads";

    /// <summary>Runs <paramref name="action"/> with <c>WorkerPool.MaxDegreeOfParallelism</c> set to <paramref name="threads"/>,
    /// then restores it.</summary>
    public static T WithThreads<T>(int threads, Func<T> action)
    {
        var previous = Generative.Tensors.Kernels.WorkerPool.MaxDegreeOfParallelism;
        Generative.Tensors.Kernels.WorkerPool.MaxDegreeOfParallelism = threads;
        try
        {
            return action();
        }
        finally
        {
            Generative.Tensors.Kernels.WorkerPool.MaxDegreeOfParallelism = previous;
        }
    }
}
