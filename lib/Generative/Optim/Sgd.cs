using System.Numerics.Tensors;
using Tensor = Generative.Tensors.Tensor;

namespace Generative.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay: PyTorch's
/// <c>torch.optim.SGD</c> (without dampening).
/// </summary>
/// <remarks>
/// For each parameter θ with gradient g, at step t (γ = <see cref="Optimizer.LearningRate"/>, μ = momentum,
/// λ = weight decay):
/// <code>
/// g ← g + λ θ                                   (if λ ≠ 0)
/// b ← g at the first step, else μ b + g          (if μ ≠ 0; b is the momentum buffer)
/// g ← g + μ b  (Nesterov)   or   g ← b  (classical)   (if μ ≠ 0)
/// θ ← θ − γ g
/// </code>
/// This is Sutskever et al. (2013)'s momentum in PyTorch's form, where the learning rate multiplies the whole
/// buffer (some texts put it inside: b ← μ b − γ g). The gradient tensors themselves are not modified.
/// </remarks>
public sealed class Sgd : Optimizer
{
    private readonly double _momentum;
    private readonly double _weightDecay;
    private readonly bool _nesterov;
    private readonly float[]?[] _momentumBuffers;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update (leaves, e.g. a module's <c>Parameters()</c>).</param>
    /// <param name="learningRate">γ, the step size.</param>
    /// <param name="momentum">μ in [0, 1); 0 for plain gradient descent.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty's coefficient (λ/2 ‖θ‖², added to the gradient as λ θ).</param>
    /// <param name="nesterov">Use Nesterov momentum (requires a positive momentum).</param>
    /// <exception cref="ArgumentException">An argument is out of range, or see <see cref="Optimizer"/>.</exception>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Sgd: momentum must be in [0, 1).");
        }
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Sgd: weight decay must be finite and non-negative.");
        }
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Sgd: Nesterov momentum requires a positive momentum.", nameof(nesterov));
        }
        _momentum = momentum;
        _weightDecay = weightDecay;
        _nesterov = nesterov;
        _momentumBuffers = new float[]?[Parameters.Count];
    }

    /// <summary>μ.</summary>
    public double Momentum => _momentum;

    /// <summary>λ.</summary>
    public double WeightDecay => _weightDecay;

    /// <summary>Whether the step uses Nesterov momentum.</summary>
    public bool Nesterov => _nesterov;

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateBufferNames { get; } = ["momentum_buffer"];

    /// <inheritdoc/>
    protected override float[]? GetStateBuffer(int index, string name) => _momentumBuffers[index];

    /// <inheritdoc/>
    protected override void SetStateBuffer(int index, string name, float[]? values) => _momentumBuffers[index] = values;

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        var direction = gradient;
        if (_weightDecay != 0)
        {
            // d = g + λ θ
            var decayed = Scratch(parameter.Length);
            TensorPrimitives.MultiplyAdd(parameter, (float)_weightDecay, gradient, decayed);
            direction = decayed;
        }
        if (_momentum != 0)
        {
            var buffer = _momentumBuffers[index];
            if (buffer is null)
            {
                buffer = _momentumBuffers[index] = direction.ToArray(); // b_1 = d (PyTorch: a clone of the gradient)
            }
            else
            {
                TensorPrimitives.MultiplyAdd(buffer, (float)_momentum, direction, buffer); // b = μ b + d
            }
            if (_nesterov)
            {
                var lookahead = Scratch(parameter.Length);
                TensorPrimitives.MultiplyAdd(buffer, (float)_momentum, direction, lookahead); // d + μ b (d may live in the same scratch)
                direction = lookahead;
            }
            else
            {
                direction = buffer;
            }
        }
        TensorPrimitives.MultiplyAdd(direction, (float)-LearningRate, parameter, parameter); // θ = θ − γ d
    }
}
