using System.Buffers;
using System.Numerics.Tensors;

namespace Generative.Tensors.Kernels;

/// <summary>
/// Binary cross-entropy of logits, elementwise, in the one form every caller uses (the loss
/// <c>Losses.BinaryCrossEntropyWithLogits</c>, every autoregressive model's log-likelihood, NADE's fused sweep), so the
/// same logits give the same bits wherever they are scored.
/// </summary>
/// <remarks>
/// <code>
/// BCE(z, y) = −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) + log(1 + e^−|z|) − z y       (stable: no overflow)
/// ∂BCE/∂z   = σ(z) − y
/// </code>
/// </remarks>
public static class BinaryCrossEntropyKernel
{
    /// <summary><c>losses[i] = max(z[i], 0) + log(1 + exp(−|z[i]|)) − z[i] y[i]</c>, in SIMD passes, summed in that order.</summary>
    /// <param name="logits">z.</param>
    /// <param name="targets">y, as long as z.</param>
    /// <param name="losses">Destination, as long as z; may not overlap the inputs.</param>
    public static void WithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> losses)
    {
        var length = logits.Length;
        if (targets.Length != length || losses.Length != length)
        {
            throw new ArgumentException($"BinaryCrossEntropyKernel.WithLogits: logits ({length}), targets ({targets.Length}) and losses ({losses.Length}) must be as long.");
        }
        float[]? rented = null;
        var tail = length <= 256 ? stackalloc float[length] : (rented = ArrayPool<float>.Shared.Rent(length)).AsSpan(0, length);
        TensorPrimitives.Abs(logits, tail);
        TensorPrimitives.Negate(tail, tail);
        TensorPrimitives.Exp(tail, tail);
        TensorPrimitives.LogP1(tail, tail);                 // log(1 + e^−|z|)
        TensorPrimitives.Max(logits, 0f, losses);
        TensorPrimitives.Add(losses, tail, losses);
        TensorPrimitives.Multiply(logits, targets, tail);   // z y
        TensorPrimitives.Subtract(losses, tail, losses);
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary><c>gradient[i] = σ(z[i]) − y[i]</c>, the derivative of <see cref="WithLogits"/> with respect to z.</summary>
    /// <param name="logits">z.</param>
    /// <param name="targets">y, as long as z.</param>
    /// <param name="gradient">Destination, as long as z.</param>
    public static void WithLogitsGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        TensorPrimitives.Sigmoid(logits, gradient);
        TensorPrimitives.Subtract(gradient, targets, gradient);
    }
}
