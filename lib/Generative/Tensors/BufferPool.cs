namespace Generative.Tensors;

/// <summary>
/// Recycles the float arrays of gradients that die during a backward pass, so that an epoch of training reuses the
/// same few dozen buffers instead of handing the garbage collector megabytes per step.
/// </summary>
/// <remarks>
/// <para>Ops allocate their storage through <see cref="Allocate"/>: outside a backward pass that is a plain
/// (uninitialised) GC array, because forward results belong to the caller and the graph, and nothing tells when the
/// last reference goes. Inside <see cref="Tensor.Backward(Tensor)"/> the gradients flowing between nodes belong to the
/// engine: when a node has passed its gradient on and nothing else holds it, <c>Backward</c> returns its array here
/// (see <c>Tensor.Recycle</c>), and the next op of this or a later backward pass takes it back.</para>
/// <para>Arrays are matched by exact length (tensors assume <c>storage.Length == Count</c> when they own their
/// storage). The pool keeps at most <see cref="MaxPerLength"/> arrays of one length and <see cref="MaxFloats"/> floats in
/// all; beyond that a returned array is left to the GC. Thread-safe.</para>
/// </remarks>
internal static class BufferPool
{
    /// <summary>Arrays kept per length: a training step's backward pass has a handful of live gradients of one size.</summary>
    internal const int MaxPerLength = 8;

    /// <summary>At most 256 MB of floats pooled in all.</summary>
    internal const long MaxFloats = 64L * 1024 * 1024;

    private static readonly Dictionary<int, Stack<float[]>> Free = [];
    private static readonly object Gate = new();
    private static long s_pooledFloats;

    [ThreadStatic]
    private static int t_backwardDepth;

    /// <summary>Floats currently held by the pool (for tests and diagnostics).</summary>
    internal static long PooledFloats
    {
        get
        {
            lock (Gate)
            {
                return s_pooledFloats;
            }
        }
    }

    /// <summary>An array of exactly <paramref name="length"/> floats whose contents are undefined: the caller writes
    /// every element before reading any. Pooled inside a backward pass on this thread, fresh otherwise.</summary>
    internal static float[] Allocate(int length) =>
        t_backwardDepth > 0 ? Rent(length) : GC.AllocateUninitializedArray<float>(length);

    /// <summary>An array of exactly <paramref name="length"/> floats with undefined contents, from the pool when it has
    /// one: for engine-private scratch whose owner returns it with <see cref="Return"/> once done.</summary>
    internal static float[] Rent(int length)
    {
        if (length > 0)
        {
            lock (Gate)
            {
                if (Free.TryGetValue(length, out var stack) && stack.Count > 0)
                {
                    s_pooledFloats -= length;
                    return stack.Pop();
                }
            }
        }
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Takes back <paramref name="array"/>, which no tensor may use any more.</summary>
    internal static void Return(float[] array)
    {
        if (array.Length == 0)
        {
            return;
        }
        lock (Gate)
        {
            if (s_pooledFloats + array.Length > MaxFloats)
            {
                return;
            }
            if (!Free.TryGetValue(array.Length, out var stack))
            {
                Free[array.Length] = stack = new Stack<float[]>();
            }
            if (stack.Count >= MaxPerLength)
            {
                return;
            }
            stack.Push(array);
            s_pooledFloats += array.Length;
        }
    }

    /// <summary>Marks this thread as running a backward pass until the scope is disposed (scopes nest).</summary>
    internal static BackwardScope EnterBackward() => new();

    internal readonly struct BackwardScope : IDisposable
    {
        public BackwardScope() => t_backwardDepth++;

        public void Dispose() => t_backwardDepth--;
    }
}
