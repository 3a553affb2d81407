namespace Generative.Tensors;

/// <summary>
/// A differentiable op with a hand-written gradient (PyTorch's and TorchSharp's <c>torch.autograd.Function</c>): a
/// <see cref="Forward"/> that computes the output from the inputs, and a <see cref="Backward"/> that maps the output's
/// gradient d(loss)/d(output) to each input's d(loss)/d(input). The engine records the call as one node of the graph.
/// </summary>
/// <remarks>
/// <para>Write one when composing primitives would be slow or unstable (a loss fused into one pass, a recurrence whose
/// graph would have a node per step) or to teach the chain rule by hand:</para>
/// <code>
/// sealed class Cube : Function
/// {
///     Tensor? _x;                                             // saved for backward (PyTorch's ctx.save_for_backward)
///     protected override Tensor Forward(Tensor[] inputs) { _x = inputs[0]; return _x * _x * _x; }
///     protected override Tensor?[] Backward(Tensor gradOutput) => [gradOutput * 3f * _x! * _x!];
/// }
/// var y = new Cube().Apply(x);                                // y.GradFn == "Cube"
/// </code>
/// <para>
/// Rules, as in PyTorch: <see cref="Forward"/> runs with recording off (ops inside it build no graph), so the saved
/// tensors are plain values; one object records one call, so it holds that call's saved state (create a new one per
/// <see cref="Apply"/>); <see cref="Backward"/> returns one gradient per input, shaped like that input, or null where
/// <see cref="NeedsInputGrad"/> is false (null means zero). Backward runs inside the engine's backward pass, also
/// with recording off, and may run more than once for the same graph, so it must not change the saved tensors.
/// </para>
/// <para>
/// A returned gradient is copied before the engine adds to it in place, unless it came from
/// <see cref="NewGradient"/>: that buffer belongs to the engine once returned, which saves a copy of every large
/// gradient (a weight's is megabytes per step). Every fused op of the library is written this way (the binary
/// cross-entropies, batch and layer norm, the convolutions, NADE's conditionals); only the primitives record
/// themselves directly. Gradients are checked against central finite differences
/// like every primitive's (lesson 03 shows how).
/// </para>
/// </remarks>
public abstract class Function
{
    private Tensor[]? _inputs;
    private bool[]? _needsInputGrad;
    private List<float[]>? _issued;

    /// <summary>The op's name, shown as the result's <see cref="Tensor.GradFn"/>; the class name unless overridden.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The inputs of the recorded call, in <see cref="Apply"/>'s order (after <see cref="Apply"/> has been called).</summary>
    protected IReadOnlyList<Tensor> Inputs => _inputs ?? throw new InvalidOperationException($"{Name}: Inputs is known only once Apply has been called.");

    /// <summary>Computes the output. Recording is off here; save what <see cref="Backward"/> needs in fields.</summary>
    /// <param name="inputs">The tensors given to <see cref="Apply"/>.</param>
    /// <returns>The output; may be a new tensor or a view of an input.</returns>
    protected abstract Tensor Forward(Tensor[] inputs);

    /// <summary>Maps d(loss)/d(output) to d(loss)/d(input) for every input.</summary>
    /// <param name="gradOutput">d(loss)/d(output), contiguous, shaped like the output.</param>
    /// <returns>One entry per input: its gradient (the input's shape) or null when none is needed.</returns>
    protected abstract Tensor?[] Backward(Tensor gradOutput);

    /// <summary>Whether input <paramref name="index"/>'s gradient is wanted (it requires gradients and recording was on
    /// when <see cref="Apply"/> was called): PyTorch's <c>ctx.needs_input_grad</c>. Known in <see cref="Forward"/> too,
    /// so a forward pass can skip work that only a gradient needs.</summary>
    protected bool NeedsInputGrad(int index)
    {
        if (_needsInputGrad is null)
        {
            throw new InvalidOperationException($"{Name}: NeedsInputGrad is known only once Apply has been called.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _needsInputGrad.Length);
        return _needsInputGrad[index];
    }

    /// <summary>A zero-filled tensor shaped like input <paramref name="index"/>, to fill with that input's gradient
    /// and return from <see cref="Backward"/>: the engine keeps it instead of copying it.</summary>
    protected Tensor NewGradient(int index)
    {
        var gradient = NewGradientUninitialized(index);
        gradient.AsSpan().Clear();
        return gradient;
    }

    /// <summary>As <see cref="NewGradient"/>, without clearing it: for kernels that write every element.</summary>
    internal Tensor NewGradientUninitialized(int index)
    {
        var input = Inputs[index];
        var storage = BufferPool.Allocate(input.Count);
        (_issued ??= []).Add(storage);
        return new Tensor(storage, input.Shape);
    }

    /// <summary>Runs <see cref="Forward"/> on <paramref name="inputs"/> and, when any of them requires gradients and
    /// recording is on, records the result as a node whose backward pass calls <see cref="Backward"/>.</summary>
    /// <returns>The output, a new tensor object (sharing the storage of what <see cref="Forward"/> returned).</returns>
    /// <exception cref="InvalidOperationException">This object has already recorded a call, or Forward returned null.</exception>
    public Tensor Apply(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(inputs), $"{Name}: input {i} is null.");
            }
        }
        if (_inputs is not null)
        {
            throw new InvalidOperationException(
                $"{Name}: this Function object has already recorded a call and holds its saved tensors; create a new one for each Apply.");
        }
        _inputs = (Tensor[])inputs.Clone();
        var record = Tensor.IsGradEnabled;
        _needsInputGrad = Array.ConvertAll(_inputs, input => record && input.RequiresGrad);
        Tensor output;
        using (Tensor.NoGrad())
        {
            output = Forward(_inputs) ?? throw new InvalidOperationException($"{Name}: Forward returned null.");
        }
        // A new object, so that recording never touches a tensor Forward returned from elsewhere (an input, a cache).
        var result = output.Detach();
        if (Array.IndexOf(_needsInputGrad, true) >= 0)
        {
            result.Record(Name, _inputs, RunBackward);
        }
        return result;
    }

    private void RunBackward(Tensor gradOutput)
    {
        _issued = null;
        var gradients = Backward(gradOutput)
            ?? throw new InvalidOperationException($"{Name}: Backward returned null; return one gradient (or null) per input.");
        if (gradients.Length != _inputs!.Length)
        {
            throw new InvalidOperationException(
                $"{Name}: Backward returned {gradients.Length} gradient(s) for {_inputs.Length} input(s); return one (or null) per input.");
        }
        for (var i = 0; i < gradients.Length; i++)
        {
            var gradient = gradients[i];
            var input = _inputs[i];
            if (gradient is null || !input.RequiresGrad)
            {
                continue;
            }
            if (!gradient.ShapeSpan.SequenceEqual(input.ShapeSpan))
            {
                throw new InvalidOperationException(
                    $"{Name}: Backward's gradient for input {i} has shape {Tensor.FormatShape(gradient.Shape)}, but input {i} has shape " +
                    $"{Tensor.FormatShape(input.Shape)}.");
            }
            // Owned only if it is a buffer from NewGradient handed to one input alone: then nobody else holds it.
            var owned = gradient.OwnsStorage && _issued is not null && _issued.Remove(gradient.Storage);
            input.AccumulateGrad(gradient.IsContiguous ? gradient : gradient.Contiguous(), owned);
        }
        _issued = null;
    }
}
