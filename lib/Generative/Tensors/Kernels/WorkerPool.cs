using System.Diagnostics;

namespace Generative.Tensors.Kernels;

/// <summary>
/// The library's fork-join pool, which every multi-threaded kernel shares (GEMM, convolution, the elementwise ranges
/// of <see cref="ParallelRanges"/>, NADE's sweeps): <c>Run(body, state, parts)</c> calls body(state, i) once for each
/// i in [0, parts), on the calling thread and up to parts - 1 long-lived background threads, and returns when all
/// are done. Parts are claimed with one compare-and-swap each, so the caller does any part no worker has picked up
/// (a busy machine never leaves it waiting on a thread that has not woken). The partition is fixed by the caller,
/// so which thread runs a part never changes a result. Nothing is allocated per call. One call at a time uses the
/// workers; a concurrent caller runs its parts itself.
/// </summary>
public static unsafe class WorkerPool
{
    /// <summary>The most threads the pool ever runs one call on.</summary>
    internal const int MaxThreads = 256;

    private static int s_maxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, MaxThreads);

    /// <summary>
    /// The most threads one kernel call uses (the calling thread included), for every kernel of the library. Defaults
    /// to <see cref="Environment.ProcessorCount"/>; set 1 to keep every call on the calling thread. Kernels fix their
    /// partition of the work independently of it, so results do not depend on it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1 (the value is kept).</exception>
    public static int MaxDegreeOfParallelism
    {
        get => s_maxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_maxDegreeOfParallelism = Math.Min(value, MaxThreads);
        }
    }

    /// <summary>How long a worker polls for the next call before it blocks (a training step issues many GEMMs in a row).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 microseconds

    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static readonly ManualResetEventSlim Done = new(false, spinCount: 200);
    private static readonly List<Thread> Threads = [];

    // Claim word: generation (bits 32..63) | parts (16..31) | next unclaimed part (0..15).
    private static long s_claim;
    private static delegate*<void*, int, void> s_body;
    private static void* s_state;
    private static int s_remaining;
    private static int s_sleepers;
    private static Exception? s_error;

    /// <summary>Runs body(state, i) for i in [0, parts) and returns when all have finished; rethrows the first exception.</summary>
    internal static void Run(delegate*<void*, int, void> body, void* state, int parts)
    {
        if (parts <= 1 || !Monitor.TryEnter(Gate))
        {
            for (var i = 0; i < parts; i++)
            {
                body(state, i);
            }
            return;
        }
        try
        {
            EnsureWorkers(parts - 1);
            s_body = body;
            s_state = state;
            s_error = null;
            s_remaining = parts;
            Done.Reset();
            var generation = (s_claim >> 32) + 1;
            Interlocked.Exchange(ref s_claim, (generation << 32) | ((long)parts << 16));
            for (var i = 1; i < parts && TryTakeSleeper(); i++)
            {
                Wake.Release();
            }
            Work();
            // Wait until every part has finished; the count decides, the event only says "look again". A worker that
            // finished the last part of an earlier call may set the event late, after this call reset it: waiting once
            // for the event would then return while parts still run, and the caller's frame (the job the workers
            // read through s_state) would be gone under them. That race failed a GEMM worker once (lesson 08 in a
            // full run, 2026-12-02).
            while (Volatile.Read(ref s_remaining) != 0)
            {
                Done.Wait();
                Done.Reset();
            }
            s_body = null;
            s_state = null;
            if (s_error is { } error)
            {
                s_error = null;
                throw new AggregateException("A GEMM worker failed.", error);
            }
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>Claims and runs parts of the current call until none is left.</summary>
    private static void Work()
    {
        while (true)
        {
            var current = Volatile.Read(ref s_claim);
            var parts = (int)((current >> 16) & 0xFFFF);
            var next = (int)(current & 0xFFFF);
            if (next >= parts)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref s_claim, current + 1, current) != current)
            {
                continue;
            }
            // The call cannot finish before this part does, so s_body and s_state belong to the claimed generation.
            try
            {
                s_body(s_state, next);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, e, null);
            }
            if (Interlocked.Decrement(ref s_remaining) == 0)
            {
                Done.Set();
            }
        }
    }

    private static void EnsureWorkers(int count)
    {
        while (Threads.Count < count)
        {
            var thread = new Thread(WorkerLoop, maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"Gemm worker {Threads.Count + 1}",
            };
            thread.Start();
            Threads.Add(thread);
        }
    }

    private static void WorkerLoop()
    {
        long seen = 0;
        var polls = 0;
        while (true)
        {
            // Poll for a new call, then block: waking a blocked thread costs tens of microseconds, and a training
            // step issues many GEMMs in a row.
            var start = Stopwatch.GetTimestamp();
            while (true)
            {
                var generation = Volatile.Read(ref s_claim) >> 32;
                if (generation != seen)
                {
                    seen = generation;
                    Work();
                    start = Stopwatch.GetTimestamp();
                    continue;
                }
                if (Stopwatch.GetTimestamp() - start > SpinTicks)
                {
                    break;
                }
                Thread.SpinWait(20);
                if ((++polls & 15) == 0)
                {
                    Thread.Yield(); // let another runnable thread have this core
                }
            }
            // Announce the sleep before the last look (both sides use full fences), so a call published meanwhile
            // is either seen here or releases the semaphore: no lost wake-up, and no permit piles up.
            Interlocked.Increment(ref s_sleepers);
            if (Volatile.Read(ref s_claim) >> 32 != seen && TryTakeSleeper())
            {
                continue;
            }
            Wake.Wait();
        }
    }

    /// <summary>Decrements the sleeper count if it is positive.</summary>
    private static bool TryTakeSleeper()
    {
        while (true)
        {
            var sleepers = Volatile.Read(ref s_sleepers);
            if (sleepers <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref s_sleepers, sleepers - 1, sleepers) == sleepers)
            {
                return true;
            }
        }
    }
}
