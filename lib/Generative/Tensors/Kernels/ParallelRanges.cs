using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Generative.Tensors.Kernels;

/// <summary>
/// Splits an elementwise pass over a long span into contiguous ranges run on <see cref="WorkerPool"/>' threads.
/// </summary>
/// <remarks>
/// <para>Between GEMMs a training step's elementwise work (losses, activations' backward, Adam) would otherwise run
/// on one core while the other polls for the next GEMM. Only passes of at least <see cref="MinimumLength"/> elements are
/// split: below that, waking a worker costs more than it saves.</para>
/// <para>Range boundaries are multiples of 64 elements, so every SIMD width sees the same vector blocks and the
/// results are bit-identical to one call over the whole span, whatever the thread count: the bodies this helper runs
/// are elementwise (each output element depends only on the inputs at its index).</para>
/// </remarks>
internal static unsafe class ParallelRanges
{
    /// <summary>Shortest span worth splitting (measured on 2 cores: a 16K-element Exp is faster on one thread).</summary>
    internal const int MinimumLength = 1 << 15;

    private const int Alignment = 64;

    /// <summary>Calls <paramref name="body"/>(start, length) over disjoint ranges that cover [0, <paramref name="length"/>),
    /// on up to <see cref="WorkerPool.MaxDegreeOfParallelism"/> threads; returns when all are done.</summary>
    public static void For(int length, Action<int, int> body) => Run(new Job(body, length, PartsFor(length), Alignment));

    /// <summary>Calls <paramref name="body"/>(start, count) over disjoint ranges that cover [0, <paramref name="count"/>)
    /// items computed independently of one another (a channel's statistics, each summed in its own fixed order), split
    /// over the threads when their <paramref name="work"/> (elements in all) is at least <see cref="MinimumLength"/>.
    /// Any split gives the same results, so the ranges need no alignment.</summary>
    public static void ForIndependent(int count, long work, Action<int, int> body) =>
        Run(new Job(body, count, work < MinimumLength ? 1 : Math.Max(1, Math.Min(count, WorkerPool.MaxDegreeOfParallelism)), 1));

    private static void Run(Job job)
    {
        if (job.Parts <= 1)
        {
            job.Body(0, job.Length);
            return;
        }
        var handle = GCHandle.Alloc(job);
        try
        {
            WorkerPool.Run(&RunPart, (void*)GCHandle.ToIntPtr(handle), job.Parts);
        }
        catch (AggregateException wrapped) when (wrapped.InnerExceptions.Count == 1)
        {
            // The pool wraps what a part threw; the caller should see the body's own exception, as with one thread.
            ExceptionDispatchInfo.Capture(wrapped.InnerExceptions[0]).Throw();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>The allocation-free form of <see cref="For(int, Action{int, int})"/>: calls
    /// <paramref name="body"/>(state, start, length) over the ranges, with <paramref name="state"/> a pointer to the
    /// caller's (stack) data, valid because the call returns only when every range is done.</summary>
    public static void For(int length, void* state, delegate*<void*, int, int, void> body)
    {
        var parts = PartsFor(length);
        if (parts <= 1)
        {
            body(state, 0, length);
            return;
        }
        var job = new PointerJob { State = state, Body = body, Length = length, Parts = parts };
        WorkerPool.Run(&RunPointerPart, &job, parts);
    }

    /// <summary>How many ranges a pass of <paramref name="length"/> elements is split into.</summary>
    internal static int PartsFor(int length) =>
        length < MinimumLength ? 1 : Math.Max(1, Math.Min(WorkerPool.MaxDegreeOfParallelism, length / (MinimumLength / 2)));

    private static void RunPart(void* state, int part)
    {
        var job = (Job)GCHandle.FromIntPtr((IntPtr)state).Target!;
        var (start, length) = Range(job.Length, job.Parts, part, job.Alignment);
        if (length > 0)
        {
            job.Body(start, length);
        }
    }

    private static void RunPointerPart(void* state, int part)
    {
        var job = (PointerJob*)state;
        var (start, length) = Range(job->Length, job->Parts, part, Alignment);
        if (length > 0)
        {
            job->Body(job->State, start, length);
        }
    }

    /// <summary>Range <paramref name="part"/> of <paramref name="parts"/>: equal shares rounded up to the alignment,
    /// the last taking what is left.</summary>
    private static (int Start, int Length) Range(int length, int parts, int part, int alignment)
    {
        var share = (length / parts + alignment - 1) / alignment * alignment;
        var start = Math.Min(length, part * share);
        var end = part == parts - 1 ? length : Math.Min(length, start + share);
        return (start, end - start);
    }

    private sealed class Job(Action<int, int> body, int length, int parts, int alignment)
    {
        public int Alignment { get; } = alignment;

        public Action<int, int> Body { get; } = body;

        public int Length { get; } = length;

        public int Parts { get; } = parts;
    }

    private struct PointerJob
    {
        public void* State;
        public delegate*<void*, int, int, void> Body;
        public int Length;
        public int Parts;
    }
}
