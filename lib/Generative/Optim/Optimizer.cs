using Generative.Tensors;

namespace Generative.Optim;

/// <summary>
/// The base of every optimiser (PyTorch's <c>torch.optim.Optimizer</c>): it holds the parameters, and
/// <see cref="Step"/> updates each one that has a gradient, in place, from that gradient.
/// </summary>
/// <remarks>
/// <para>
/// The usual loop is <c>optimizer.ZeroGrad(); loss.Backward(); optimizer.Step();</c>. A parameter whose
/// <see cref="Tensor.Grad"/> is null (it took no part in the loss) is skipped: neither it nor its optimiser state
/// (momentum, moment estimates, step count) changes, as in PyTorch.
/// </para>
/// <para>
/// A subclass implements <see cref="Update"/> for one parameter: it receives the parameter's elements as a writable
/// span over the tensor's own storage and its gradient as a read-only span, and is expected to update the parameter
/// with span kernels (<c>System.Numerics.Tensors.TensorPrimitives</c>) and state buffers it allocates once, so that a
/// training step allocates nothing. Writing through the span bypasses autograd, which is what an update wants.
/// </para>
/// </remarks>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private double _learningRate;
    private float[] _scratch = [];

    /// <summary>Registers <paramref name="parameters"/> (any module's <c>Parameters()</c> or plain leaf tensors).</summary>
    /// <exception cref="ArgumentException">A parameter is not a leaf, is not contiguous, or appears twice; or the
    /// learning rate is negative or not finite.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in parameters)
        {
            if (parameter is null)
            {
                throw new ArgumentException($"{GetType().Name}: parameter {list.Count} is null.", nameof(parameters));
            }
            if (!parameter.IsLeaf)
            {
                throw new ArgumentException(
                    $"{GetType().Name}: parameter {list.Count} (shape {Tensor.FormatShape(parameter.Shape)}) is not a leaf " +
                    $"tensor (it was produced by {parameter.GradFn}); an optimiser can only update leaves.", nameof(parameters));
            }
            if (!parameter.IsContiguous)
            {
                throw new ArgumentException(
                    $"{GetType().Name}: parameter {list.Count} (shape {Tensor.FormatShape(parameter.Shape)}) is a " +
                    "non-contiguous view; register the tensor that owns the storage.", nameof(parameters));
            }
            if (!seen.Add(parameter))
            {
                throw new ArgumentException(
                    $"{GetType().Name}: parameter {list.Count} (shape {Tensor.FormatShape(parameter.Shape)}) appears more " +
                    "than once; it would be updated twice per step.", nameof(parameters));
            }
            list.Add(parameter);
        }
        _parameters = [.. list];
        _learningRate = CheckLearningRate(learningRate, nameof(learningRate));
    }

    /// <summary>The parameters, in the order they were given.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The step size (PyTorch's <c>lr</c>); settable between steps, e.g. by a learning-rate schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or not finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = CheckLearningRate(value, nameof(value));
    }

    private static bool IsValidLearningRate(double value) => value >= 0 && !double.IsInfinity(value);

    private double CheckLearningRate(double value, string paramName)
    {
        if (!IsValidLearningRate(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{GetType().Name}: the learning rate must be finite and non-negative.");
        }
        return value;
    }

    /// <summary>Updates every parameter that has a gradient (one optimisation step).</summary>
    /// <exception cref="InvalidOperationException">A gradient has a different number of elements than its parameter.</exception>
    public void Step()
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.Grad;
            if (grad is null)
            {
                continue;
            }
            if (grad.Count != parameter.Count)
            {
                throw new InvalidOperationException(
                    $"{GetType().Name}.Step: parameter {i} has shape {Tensor.FormatShape(parameter.Shape)} but its gradient " +
                    $"has shape {Tensor.FormatShape(grad.Shape)}.");
            }
            Update(i, parameter.AsSpan(), grad.ContiguousSpan());
        }
    }

    /// <summary>
    /// Clears the gradients of all parameters. With <paramref name="setToNone"/> (the default, as PyTorch's
    /// <c>zero_grad(set_to_none=True)</c>) each <see cref="Tensor.Grad"/> becomes null, so a parameter the next loss
    /// does not reach is skipped by <see cref="Step"/>; with false the gradients are zeroed in place, so the next
    /// backward pass accumulates into the same buffers instead of allocating new ones.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var parameter in _parameters)
        {
            if (setToNone || parameter.Grad is not { IsContiguous: true } grad)
            {
                parameter.Grad = null;
            }
            else
            {
                grad.AsSpan().Clear();
            }
        }
    }

    /// <summary>A copy of the optimiser's state, for a checkpoint (PyTorch's <c>state_dict()</c>).</summary>
    public OptimizerState GetState()
    {
        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < _parameters.Length; i++)
        {
            foreach (var name in StateBufferNames)
            {
                if (GetStateBuffer(i, name) is { } buffer)
                {
                    buffers[$"{i}.{name}"] = (float[])buffer.Clone();
                }
            }
            foreach (var name in StateCounterNames)
            {
                counters[$"{i}.{name}"] = GetStateCounter(i, name);
            }
        }
        return new OptimizerState(GetType().Name, _learningRate, buffers, counters);
    }

    /// <summary>Restores a state taken by <see cref="GetState"/> from an optimiser of the same kind over parameters of
    /// the same shapes (PyTorch's <c>load_state_dict</c>); the buffers are copied. Everything is checked before
    /// anything changes.</summary>
    /// <exception cref="ArgumentException">The state is of another kind, names a parameter or buffer this optimiser
    /// does not have, has a buffer of the wrong length, a negative counter or an invalid learning rate; the message
    /// lists every problem and nothing was changed.</exception>
    public void SetState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var kind = GetType().Name;
        var problems = new List<string>();
        if (state.Optimizer != kind)
        {
            problems.Add($"it is the state of {state.Optimizer}, not {kind}");
        }
        if (!IsValidLearningRate(state.LearningRate))
        {
            problems.Add($"its learning rate {state.LearningRate} is not finite and non-negative");
        }
        var buffers = new Dictionary<(int Index, string Name), float[]>();
        foreach (var (key, values) in state.Buffers)
        {
            if (ParseStateKey(key, StateBufferNames, problems, "buffer") is not { } slot) continue;
            if (values is null || values.Length != _parameters[slot.Index].Count)
            {
                problems.Add($"buffer '{key}' has {values?.Length ?? 0} values but parameter {slot.Index} has {_parameters[slot.Index].Count}");
                continue;
            }
            buffers[slot] = values;
        }
        var counters = new Dictionary<(int Index, string Name), long>();
        foreach (var (key, value) in state.Counters)
        {
            if (ParseStateKey(key, StateCounterNames, problems, "counter") is not { } slot) continue;
            if (value is < 0 or > int.MaxValue)
            {
                problems.Add($"counter '{key}' is {value}, outside 0..{int.MaxValue}");
                continue;
            }
            counters[slot] = value;
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{kind}.SetState: the state does not fit this optimiser: {string.Join("; ", problems)}. Nothing was changed.", nameof(state));
        }
        _learningRate = state.LearningRate;
        for (var i = 0; i < _parameters.Length; i++)
        {
            foreach (var name in StateBufferNames)
            {
                SetStateBuffer(i, name, buffers.TryGetValue((i, name), out var values) ? (float[])values.Clone() : null);
            }
            foreach (var name in StateCounterNames)
            {
                SetStateCounter(i, name, counters.GetValueOrDefault((i, name)));
            }
        }
    }

    private (int Index, string Name)? ParseStateKey(string key, IReadOnlyList<string> names, List<string> problems, string what)
    {
        var dot = key.IndexOf('.');
        if (dot > 0 && int.TryParse(key.AsSpan(0, dot), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index < _parameters.Length && names.Contains(key[(dot + 1)..]))
        {
            return (index, key[(dot + 1)..]);
        }
        problems.Add($"{what} '{key}' is not '<parameter 0..{_parameters.Length - 1}>.<{string.Join("|", names)}>'");
        return null;
    }

    /// <summary>The names of the per-parameter buffers a subclass keeps (e.g. <c>exp_avg</c>); none by default.</summary>
    protected virtual IReadOnlyList<string> StateBufferNames => [];

    /// <summary>The names of the per-parameter counters a subclass keeps (e.g. <c>step</c>); none by default.</summary>
    protected virtual IReadOnlyList<string> StateCounterNames => [];

    /// <summary>The subclass's buffer <paramref name="name"/> of parameter <paramref name="index"/>, or null when it has
    /// not been allocated (the parameter has not been stepped).</summary>
    protected virtual float[]? GetStateBuffer(int index, string name) => null;

    /// <summary>Replaces buffer <paramref name="name"/> of parameter <paramref name="index"/> (null: not allocated);
    /// called by <see cref="SetState"/> after every check has passed.</summary>
    protected virtual void SetStateBuffer(int index, string name, float[]? values) { }

    /// <summary>The subclass's counter <paramref name="name"/> of parameter <paramref name="index"/>.</summary>
    protected virtual long GetStateCounter(int index, string name) => 0;

    /// <summary>Replaces counter <paramref name="name"/> of parameter <paramref name="index"/>.</summary>
    protected virtual void SetStateCounter(int index, string name, long value) { }

    /// <summary>
    /// Updates one parameter in place from its gradient.
    /// </summary>
    /// <param name="index">The parameter's position in <see cref="Parameters"/>: the key for per-parameter state.</param>
    /// <param name="parameter">The parameter's elements (row-major), writable.</param>
    /// <param name="gradient">The gradient's elements, as many as the parameter's. Must not be written to.</param>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>A scratch span of <paramref name="length"/> floats shared by all parameters of this optimiser (its
    /// contents are undefined on entry); backed by one buffer sized to the largest parameter, so it is allocated once.
    /// <paramref name="slot"/> 0 and 1 give two disjoint spans.</summary>
    protected Span<float> Scratch(int length, int slot = 0)
    {
        if ((uint)slot > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "Scratch: slot must be 0 or 1.");
        }
        if (_scratch.Length < 2 * length)
        {
            var largest = 0;
            foreach (var parameter in _parameters)
            {
                largest = Math.Max(largest, parameter.Count);
            }
            _scratch = new float[2 * Math.Max(largest, length)];
        }
        return _scratch.AsSpan(slot * (_scratch.Length / 2), length);
    }
}
