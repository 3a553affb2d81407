using System.Numerics.Tensors;

namespace Generative.Tensors;

// Reverse-mode automatic differentiation, micrograd style: every op that reads a tensor requiring gradients records
// on its result (1) the parents and (2) a closure that, given d(output)/d(loss), adds each parent's share of the
// gradient by the chain rule. Backward() sorts the graph once and calls the closures from the output back to the
// leaves. Gradients of leaves accumulate in Grad until ZeroGrad(); intermediate gradients are dropped after use
// unless RetainGrad() was called (PyTorch's semantics).
public sealed partial class Tensor
{
    private static readonly AsyncLocal<bool> s_gradDisabled = new();

    private bool _requiresGrad;
    private Tensor[]? _parents;
    private Action<Tensor>? _backward;
    private string? _opName;
    private bool _retainGrad;

    // The gradient flowing into a non-leaf during one Backward pass. It may alias a tensor another node also received
    // (Add hands the same gradient to both parents), so it is copied before being added to in place.
    private Tensor? _pendingGrad;
    private bool _pendingGradOwned;

    /// <summary>
    /// Whether gradients with respect to this tensor are wanted. Settable only on leaves (tensors not produced by a
    /// recorded op); results of ops require gradients when any input does and recording is enabled.
    /// </summary>
    /// <exception cref="InvalidOperationException">Setting it on a non-leaf.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!IsLeaf)
            {
                throw new InvalidOperationException(
                    $"RequiresGrad can only be set on leaf tensors; this one was produced by {_opName}. Use Detach() to get a leaf.");
            }
            _requiresGrad = value;
        }
    }

    /// <summary>True when the tensor was not produced by a recorded op (parameters, inputs, detached values).</summary>
    public bool IsLeaf => _backward is null;

    /// <summary>The accumulated gradient d(loss)/d(this), of this tensor's shape; null until a backward pass reaches
    /// this tensor (leaves, or non-leaves after <see cref="RetainGrad"/>).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The name of the op that produced this tensor, e.g. "Mul" (PyTorch's <c>grad_fn</c>); null for leaves.</summary>
    public string? GradFn => _opName;

    /// <summary>Whether ops record the autograd graph on the current thread or async flow (false inside <see cref="NoGrad"/>).</summary>
    public static bool IsGradEnabled => !s_gradDisabled.Value;

    /// <summary>
    /// Stops recording the autograd graph until the returned scope is disposed:
    /// <c>using (Tensor.NoGrad()) { ... }</c>. Scopes nest; the setting flows with async calls (AsyncLocal), so
    /// other threads are not affected.
    /// </summary>
    public static GradModeScope NoGrad() => new(enabled: false);

    /// <summary>Re-enables recording inside a <see cref="NoGrad"/> scope until disposed.</summary>
    public static GradModeScope EnableGrad() => new(enabled: true);

    /// <summary>Keeps this non-leaf tensor's gradient in <see cref="Grad"/> after backward passes.</summary>
    public void RetainGrad()
    {
        if (IsLeaf)
        {
            return; // leaves keep their gradient anyway
        }
        _retainGrad = true;
    }

    /// <summary>Forgets the accumulated gradient (sets <see cref="Grad"/> to null, as PyTorch's
    /// <c>zero_grad(set_to_none=True)</c> does: the next backward pass allocates it afresh).</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>A tensor sharing this one's storage but cut from the graph: a leaf that does not require gradients.</summary>
    public Tensor Detach() => new(_storage, _offset, _shape, _strides);

    /// <summary>Back-propagates from a one-element tensor (typically a loss): adds d(this)/d(x) to x.Grad for every
    /// leaf x that requires gradients and from which this tensor was computed.</summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element, or does not require gradients.</exception>
    public void Backward()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException(
                $"Backward: a gradient can be created implicitly only for a one-element output, but this tensor has shape " +
                $"{FormatShape(_shape)}; call Backward(gradient) with d(loss)/d(this).");
        }
        Backward(new Tensor([1f], (int[])_shape.Clone()));
    }

    /// <summary>Back-propagates a given <paramref name="gradient"/> d(loss)/d(this) (same shape as this tensor), as
    /// for a vector-Jacobian product.</summary>
    /// <exception cref="ArgumentException"><paramref name="gradient"/>'s shape differs from this tensor's.</exception>
    public void Backward(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (!RequiresGrad)
        {
            throw new InvalidOperationException(
                "Backward: this tensor does not require grad and has no GradFn; set RequiresGrad = true on the leaves " +
                "before computing it, outside any NoGrad scope.");
        }
        if (!gradient.ShapeSpan.SequenceEqual(_shape))
        {
            throw new ArgumentException(
                $"Backward: gradient shape {FormatShape(gradient._shape)} does not match tensor shape {FormatShape(_shape)}.",
                nameof(gradient));
        }
        var order = TopologicalOrder();
        using (NoGrad())
        using (BufferPool.EnterBackward())
        {
            // The closures compute gradients with ordinary tensor ops; NoGrad keeps them from recording a second graph,
            // and the pool lends them the arrays of gradients that died earlier in this pass or in earlier passes.
            AccumulateGrad(new Tensor(gradient.ToArray(), (int[])_shape.Clone()), owned: true);
            for (var i = order.Count - 1; i >= 0; i--)
            {
                var node = order[i];
                var grad = node._pendingGrad;
                if (grad is null || node._backward is null)
                {
                    continue;
                }
                var owned = node._pendingGradOwned;
                node._pendingGrad = null;
                node._pendingGradOwned = false;
                if (node._retainGrad)
                {
                    AccumulateInto(node, grad, owned: false);
                }
                node._backward(grad);
                if (owned)
                {
                    Recycle(node, grad);
                }
            }
        }
    }

    /// <summary>
    /// After <paramref name="node"/>'s closure has run, the gradient it owned is dead unless the closure handed it on:
    /// pass-through ops (Add, Reshape, Contiguous) give a parent the same storage as that parent's pending gradient.
    /// With no holder the array goes back to <see cref="BufferPool"/>; with exactly one, that parent now owns it (and
    /// recycles it in turn); with more, the GC gets it.
    /// </summary>
    private static void Recycle(Tensor node, Tensor grad)
    {
        var storage = grad._storage;
        if (grad._offset != 0 || storage.Length != grad.Count)
        {
            return;
        }
        Tensor? heir = null;
        foreach (var parent in node._parents!)
        {
            if (parent.Grad is { } kept && ReferenceEquals(kept._storage, storage))
            {
                return; // a leaf kept it (only owned hand-offs are kept, so this does not happen; cheap to rule out)
            }
            if (parent._pendingGrad is { } pending && ReferenceEquals(pending._storage, storage))
            {
                if (heir is not null && !ReferenceEquals(heir, parent))
                {
                    return;
                }
                heir = parent;
            }
        }
        if (heir is null)
        {
            BufferPool.Return(storage);
        }
        else if (heir._pendingGrad!._offset == 0 && heir._pendingGrad.Count == storage.Length)
        {
            heir._pendingGradOwned = true;
        }
    }

    /// <summary>
    /// Adds <paramref name="grad"/> (contiguous, this tensor's shape) to the gradient flowing into this tensor.
    /// Backward closures call it once per parent.
    /// </summary>
    /// <param name="grad">The gradient share.</param>
    /// <param name="owned">True when the caller made <paramref name="grad"/> for this call alone and never touches it
    /// again (a fresh op result or buffer): this tensor may then keep it as its gradient and add to it in place instead
    /// of copying it first. False (the default) when it may be shared, e.g. the incoming gradient passed straight on.</param>
    internal void AccumulateGrad(Tensor grad, bool owned = false)
    {
        if (!_requiresGrad)
        {
            return;
        }
        System.Diagnostics.Debug.Assert(grad.IsContiguous && grad._shape.AsSpan().SequenceEqual(_shape), "gradients are contiguous and shaped like their tensor");
        if (IsLeaf)
        {
            AccumulateInto(this, grad, owned);
            return;
        }
        if (_pendingGrad is null)
        {
            _pendingGrad = grad;
            _pendingGradOwned = owned;
        }
        else if (!_pendingGradOwned && owned)
        {
            // Add into the incoming buffer, which is ours to write (addition commutes, so the bits are the same).
            var span = grad.AsSpan();
            TensorPrimitives.Add(_pendingGrad.AsSpan(), span, span);
            _pendingGrad = grad;
            _pendingGradOwned = true;
        }
        else if (!_pendingGradOwned)
        {
            // Uninitialised: the Add writes all Count elements.
            var sum = BufferPool.Allocate(Count);
            TensorPrimitives.Add(_pendingGrad.AsSpan(), grad.AsSpan(), sum);
            _pendingGrad = new Tensor(sum, _shape);
            _pendingGradOwned = true;
        }
        else
        {
            var span = _pendingGrad.AsSpan();
            TensorPrimitives.Add(span, grad.AsSpan(), span);
            ReturnIfOwned(grad, owned);
        }
    }

    /// <summary>An owned gradient that has just been added into another buffer is dead: back to the pool.</summary>
    private static void ReturnIfOwned(Tensor grad, bool owned)
    {
        if (owned && grad._offset == 0 && grad._storage.Length == grad.Count)
        {
            BufferPool.Return(grad._storage);
        }
    }

    private static void AccumulateInto(Tensor node, Tensor grad, bool owned)
    {
        if (node.Grad is { IsContiguous: true } existing && existing._shape.AsSpan().SequenceEqual(node._shape))
        {
            var span = existing.AsSpan();
            TensorPrimitives.Add(span, grad.AsSpan(), span);
            ReturnIfOwned(grad, owned);
        }
        else if (owned && grad._offset == 0 && grad._storage.Length == grad.Count)
        {
            // Nobody else holds it: keep it rather than copy (a weight's dW is megabytes, every step).
            node.Grad = new Tensor(grad._storage, (int[])node._shape.Clone());
        }
        else
        {
            // Own a copy: the incoming gradient may be shared with another node and is added to in place later.
            node.Grad = new Tensor(grad.ToArray(), (int[])node._shape.Clone());
        }
    }

    /// <summary>Nodes that require gradients, parents before children, this tensor last (iterative DFS, so deep
    /// graphs such as a NADE's 784-step loop do not overflow the stack).</summary>
    private List<Tensor> TopologicalOrder()
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { this };
        var stack = new Stack<(Tensor Node, int NextParent)>();
        stack.Push((this, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var parents = node._parents;
            if (parents is not null && next < parents.Length)
            {
                stack.Push((node, next + 1));
                var parent = parents[next];
                if (parent._requiresGrad && visited.Add(parent))
                {
                    stack.Push((parent, 0));
                }
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }

    /// <summary>True when an op reading <paramref name="input"/> must record itself.</summary>
    internal static bool ShouldRecord(Tensor input) => input._requiresGrad && IsGradEnabled;

    internal static bool ShouldRecord(Tensor a, Tensor b) => (a._requiresGrad || b._requiresGrad) && IsGradEnabled;

    /// <summary>Makes this fresh op result a graph node: it requires gradients, remembers its parents and how to
    /// push a gradient to them.</summary>
    internal void Record(string op, Tensor[] parents, Action<Tensor> backward)
    {
        _requiresGrad = true;
        _opName = op;
        _parents = parents;
        _backward = backward;
    }

    /// <summary>Disposable scope returned by <see cref="NoGrad"/> and <see cref="EnableGrad"/>; restores the previous
    /// setting when disposed.</summary>
    public readonly struct GradModeScope : IDisposable
    {
        private readonly bool _previousDisabled;

        internal GradModeScope(bool enabled)
        {
            _previousDisabled = s_gradDisabled.Value;
            s_gradDisabled.Value = !enabled;
        }

        /// <summary>Restores the grad mode that was in force when the scope was created.</summary>
        public void Dispose() => s_gradDisabled.Value = _previousDisabled;
    }
}
