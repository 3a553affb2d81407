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

    private double CheckLearningRate(double value, string paramName)
    {
        if (!(value >= 0) || double.IsInfinity(value))
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
