using Generative.Tensors.Kernels;
using System.Numerics.Tensors;
using Tensor = Generative.Tensors.Tensor;

namespace Generative.Optim;

/// <summary>Rescaling of gradients before an optimiser step (PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients together, in place, so that their joint norm is at most <paramref name="maxNorm"/>:
    /// with total = ‖(‖g₁‖, ‖g₂‖, ...)‖ (the norm of every gradient element concatenated into one vector), each
    /// gradient is multiplied by maxNorm / (total + 10⁻⁶) when that factor is below 1, and left alone otherwise.
    /// Parameters whose <see cref="Tensor.Grad"/> is null are ignored.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clip (e.g. a module's <c>Parameters()</c>).</param>
    /// <param name="maxNorm">The largest allowed norm, non-negative.</param>
    /// <param name="normType">p of the p-norm: 2 (the default, Euclidean), any p &gt; 0, or
    /// <see cref="double.PositiveInfinity"/> for the largest absolute element.</param>
    /// <param name="errorIfNonfinite">Throw when the total norm is NaN or infinite instead of scaling by it.</param>
    /// <returns>The total norm of the gradients before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative or NaN, or
    /// <paramref name="normType"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The norm is not finite and <paramref name="errorIfNonfinite"/> is set.</exception>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "ClipGradNorm: maxNorm must be non-negative.");
        }
        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "ClipGradNorm: normType must be positive.");
        }
        var withGrad = new List<Tensor>();
        foreach (var parameter in parameters)
        {
            if (parameter?.Grad is not null)
            {
                withGrad.Add(parameter);
            }
        }
        if (withGrad.Count == 0)
        {
            return 0;
        }

        // Accumulated in double: a sum of many float32 squares would otherwise lose low-order bits.
        double total = 0;
        foreach (var parameter in withGrad)
        {
            var g = parameter.Grad!.ContiguousSpan();
            if (double.IsPositiveInfinity(normType))
            {
                total = Math.Max(total, g.Length == 0 ? 0 : Math.Abs((double)TensorPrimitives.MaxMagnitude(g)));
            }
            else if (normType == 2)
            {
                total += Reproducible.SumOfSquares(g);
            }
            else
            {
                foreach (var value in g)
                {
                    total += Math.Pow(Math.Abs((double)value), normType);
                }
            }
        }
        if (normType == 2)
        {
            total = Math.Sqrt(total);
        }
        else if (!double.IsPositiveInfinity(normType))
        {
            total = Math.Pow(total, 1 / normType);
        }

        if (errorIfNonfinite && !double.IsFinite(total))
        {
            throw new InvalidOperationException(
                $"ClipGradNorm: the total {normType}-norm of the gradients is {total}; the gradients cannot be clipped. " +
                "Look for a NaN or infinity in the loss or in the model's activations.");
        }

        var scale = maxNorm / (total + 1e-6);
        if (scale < 1 || double.IsNaN(scale))
        {
            var factor = (float)scale;
            foreach (var parameter in withGrad)
            {
                var grad = parameter.Grad!;
                if (grad.IsContiguous)
                {
                    var span = grad.AsSpan();
                    TensorPrimitives.Multiply(span, factor, span);
                }
                else
                {
                    using (Tensor.NoGrad())
                    {
                        parameter.Grad = grad * factor;
                    }
                }
            }
        }
        return total;
    }
}
