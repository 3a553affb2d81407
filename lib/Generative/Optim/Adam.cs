using System.Numerics;
using System.Runtime.Intrinsics;
using System.Numerics.Tensors;
using Generative.Tensors.Kernels;
using Tensor = Generative.Tensors.Tensor;

namespace Generative.Optim;

/// <summary>
/// Adam (Kingma and Ba, 2014, "Adam: A Method for Stochastic Optimization", https://arxiv.org/abs/1412.6980):
/// PyTorch's <c>torch.optim.Adam</c>, with weight decay as an L2 penalty added to the gradient.
/// </summary>
/// <remarks>
/// For each parameter θ with gradient g, at that parameter's step t = 1, 2, ... (α =
/// <see cref="Optimizer.LearningRate"/>, λ = weight decay):
/// <code>
/// g ← g + λ θ                                  (if λ ≠ 0: L2 regularisation, coupled with the adaptive scaling)
/// m ← β₁ m + (1 − β₁) g                        (first-moment estimate; m₀ = 0)
/// v ← β₂ v + (1 − β₂) g²                       (second raw-moment estimate; v₀ = 0)
/// θ ← θ − α/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// which is Algorithm 1 of the paper, θ ← θ − α m̂ / (√v̂ + ε) with m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ), computed
/// the way PyTorch orders it (ε is added after the bias correction of √v, not inside it). The bias corrections are
/// evaluated in double precision, as PyTorch does with Python floats. Each parameter counts its own steps, so one
/// that had no gradient for a while is corrected as if its skipped steps had not happened.
/// For weight decay that is not rescaled by the adaptive denominator use <see cref="AdamW"/>.
/// </remarks>
public class Adam : Optimizer
{
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private readonly double _weightDecay;
    private readonly bool _decoupledWeightDecay;
    private readonly float[]?[] _firstMoments;
    private readonly float[]?[] _secondMoments;
    private readonly int[] _steps;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update (leaves, e.g. a module's <c>Parameters()</c>).</param>
    /// <param name="learningRate">α, the step size.</param>
    /// <param name="beta1">β₁ in [0, 1), the decay rate of the first-moment estimate.</param>
    /// <param name="beta2">β₂ in [0, 1), the decay rate of the second-moment estimate.</param>
    /// <param name="eps">ε ≥ 0, added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty's coefficient (added to the gradient as λ θ).</param>
    /// <exception cref="ArgumentException">An argument is out of range, or see <see cref="Optimizer"/>.</exception>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay: false)
    {
    }

    private protected Adam(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
        double weightDecay, bool decoupledWeightDecay)
        : base(parameters, learningRate)
    {
        var name = GetType().Name;
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"{name}: beta1 must be in [0, 1).");
        }
        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"{name}: beta2 must be in [0, 1).");
        }
        if (!(eps >= 0) || double.IsInfinity(eps))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{name}: eps must be finite and non-negative.");
        }
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"{name}: weight decay must be finite and non-negative.");
        }
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weightDecay;
        _decoupledWeightDecay = decoupledWeightDecay;
        _firstMoments = new float[]?[Parameters.Count];
        _secondMoments = new float[]?[Parameters.Count];
        _steps = new int[Parameters.Count];
    }

    /// <summary>β₁.</summary>
    public double Beta1 => _beta1;

    /// <summary>β₂.</summary>
    public double Beta2 => _beta2;

    /// <summary>ε.</summary>
    public double Eps => _eps;

    /// <summary>λ.</summary>
    public double WeightDecay => _weightDecay;

    /// <summary>How many updates parameter <paramref name="index"/> has received (PyTorch's <c>state[p]["step"]</c>).</summary>
    public int StepCount(int index) => _steps[index];

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateBufferNames { get; } = ["exp_avg", "exp_avg_sq"];

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateCounterNames { get; } = ["step"];

    /// <inheritdoc/>
    protected override float[]? GetStateBuffer(int index, string name) =>
        name == "exp_avg" ? _firstMoments[index] : _secondMoments[index];

    /// <inheritdoc/>
    protected override void SetStateBuffer(int index, string name, float[]? values)
    {
        if (name == "exp_avg") _firstMoments[index] = values;
        else _secondMoments[index] = values;
    }

    /// <inheritdoc/>
    protected override long GetStateCounter(int index, string name) => _steps[index];

    /// <inheritdoc/>
    protected override void SetStateCounter(int index, string name, long value) =>
        _steps[index] = checked((int)value);

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        var n = parameter.Length;
        var m = _firstMoments[index] ??= new float[n];
        var v = _secondMoments[index] ??= new float[n];
        var t = ++_steps[index];
        var learningRate = LearningRate;

        if (_weightDecay != 0)
        {
            if (_decoupledWeightDecay)
            {
                // AdamW: θ ← θ (1 − α λ), before and independent of the adaptive step.
                TensorPrimitives.Multiply(parameter, (float)(1 - learningRate * _weightDecay), parameter);
            }
            else
            {
                // Adam's L2: g ← g + λ θ.
                var decayed = Scratch(n, slot: 1);
                TensorPrimitives.MultiplyAdd(parameter, (float)_weightDecay, gradient, decayed);
                gradient = decayed;
            }
        }

        // θ ← θ − α/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε), with m and v updated in the same single pass.
        var stepSize = learningRate / (1 - DeterministicMath.Power(_beta1, t));
        var biasCorrection2Sqrt = Math.Sqrt(1 - DeterministicMath.Power(_beta2, t));
        var coefficients = new AdamCoefficients(
            OneMinusBeta1: (float)(1 - _beta1), Beta2: (float)_beta2, OneMinusBeta2: (float)(1 - _beta2),
            NegativeStepSize: (float)-stepSize, BiasCorrection2Sqrt: (float)biasCorrection2Sqrt, Eps: (float)_eps);
        if (ParallelRanges.PartsFor(n) <= 1)
        {
            FusedUpdate(parameter, gradient, m, v, coefficients);
            return;
        }
        // A weight matrix's update streams four arrays through memory: split it over the GEMM threads, through
        // pointers so that a step still allocates nothing. Elementwise, so the bits are those of one pass.
        unsafe
        {
            fixed (float* theta = parameter)
            fixed (float* g = gradient)
            fixed (float* first = m)
            fixed (float* second = v)
            {
                var state = new UpdateRanges(theta, g, first, second, coefficients);
                ParallelRanges.For(n, &state, &UpdateRange);
            }
        }
    }

    /// <summary>Pinned arrays of one parameter's update, for <see cref="UpdateRange"/>.</summary>
    private readonly unsafe struct UpdateRanges(float* parameter, float* gradient, float* m, float* v, AdamCoefficients coefficients)
    {
        public readonly float* Parameter = parameter;
        public readonly float* Gradient = gradient;
        public readonly float* M = m;
        public readonly float* V = v;
        public readonly AdamCoefficients Coefficients = coefficients;
    }

    private static unsafe void UpdateRange(void* state, int start, int length)
    {
        var s = (UpdateRanges*)state;
        FusedUpdate(new Span<float>(s->Parameter + start, length), new ReadOnlySpan<float>(s->Gradient + start, length),
            new Span<float>(s->M + start, length), new Span<float>(s->V + start, length), s->Coefficients);
    }

    /// <summary>The float constants of one Adam step.</summary>
    private readonly record struct AdamCoefficients(
        float OneMinusBeta1, float Beta2, float OneMinusBeta2, float NegativeStepSize, float BiasCorrection2Sqrt, float Eps);

    /// <summary>
    /// One pass over the parameter (instead of eight, each streaming θ, g, m or v through memory again):
    /// <code>
    /// m[i] = m[i] + (1 − β₁)(g[i] − m[i])
    /// v[i] = β₂ v[i] + (1 − β₂) g[i]²
    /// θ[i] = θ[i] + (−step) · m[i] / (√v[i] / √(1 − β₂ᵗ) + ε)
    /// </code>
    /// The vector loop and the scalar tail perform the same IEEE operations in the same order (no fused multiply-add,
    /// which the JIT never introduces on its own), so every element gets the same bits whatever the vector width
    /// (SSE, AVX2, AVX-512, Vector512) and whichever loop handles it.
    /// </summary>
    private static void FusedUpdate(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        in AdamCoefficients c)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated && parameter.Length >= Vector512<float>.Count)
        {
            // Vector<float> stays 256 bits wide on AVX-512 hardware; the 512-bit form halves the divides and roots.
            var oneMinusBeta1 = Vector512.Create(c.OneMinusBeta1);
            var beta2 = Vector512.Create(c.Beta2);
            var oneMinusBeta2 = Vector512.Create(c.OneMinusBeta2);
            var negativeStepSize = Vector512.Create(c.NegativeStepSize);
            var biasCorrection2Sqrt = Vector512.Create(c.BiasCorrection2Sqrt);
            var eps = Vector512.Create(c.Eps);
            for (; i <= parameter.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var g = Vector512.Create(gradient[i..]);
                var mi = Vector512.Create(m[i..]);
                var vi = Vector512.Create(v[i..]);
                mi += oneMinusBeta1 * (g - mi);
                vi = beta2 * vi + oneMinusBeta2 * (g * g);
                var denominator = Vector512.Sqrt(vi) / biasCorrection2Sqrt + eps;
                var theta = Vector512.Create(parameter[i..]) + negativeStepSize * (mi / denominator);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                theta.CopyTo(parameter[i..]);
            }
        }
        if (Vector.IsHardwareAccelerated && parameter.Length - i >= Vector<float>.Count)
        {
            var oneMinusBeta1 = new Vector<float>(c.OneMinusBeta1);
            var beta2 = new Vector<float>(c.Beta2);
            var oneMinusBeta2 = new Vector<float>(c.OneMinusBeta2);
            var negativeStepSize = new Vector<float>(c.NegativeStepSize);
            var biasCorrection2Sqrt = new Vector<float>(c.BiasCorrection2Sqrt);
            var eps = new Vector<float>(c.Eps);
            for (; i <= parameter.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradient[i..]);
                var mi = new Vector<float>(m[i..]);
                var vi = new Vector<float>(v[i..]);
                mi += oneMinusBeta1 * (g - mi);
                vi = beta2 * vi + oneMinusBeta2 * (g * g);
                var denominator = Vector.SquareRoot(vi) / biasCorrection2Sqrt + eps;
                var theta = new Vector<float>(parameter[i..]) + negativeStepSize * (mi / denominator);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                theta.CopyTo(parameter[i..]);
            }
        }
        for (; i < parameter.Length; i++)
        {
            var g = gradient[i];
            m[i] += c.OneMinusBeta1 * (g - m[i]);
            v[i] = c.Beta2 * v[i] + c.OneMinusBeta2 * (g * g);
            var denominator = MathF.Sqrt(v[i]) / c.BiasCorrection2Sqrt + c.Eps;
            parameter[i] += c.NegativeStepSize * (m[i] / denominator);
        }
    }
}
