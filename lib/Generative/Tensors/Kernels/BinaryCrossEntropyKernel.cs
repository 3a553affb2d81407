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
    /// <summary><c>losses[i] = max(z[i], 0) + log(1 + exp(−|z[i]|)) − z[i] y[i]</c>: softplus(z) in one reproducible pass, then z y subtracted.</summary>
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
        if (losses.Overlaps(logits) || losses.Overlaps(targets))
        {
            throw new ArgumentException("BinaryCrossEntropyKernel.WithLogits: losses may not overlap the logits or the targets.", nameof(losses));
        }
        Reproducible.Softplus(logits, losses);              // max(z, 0) + log(1 + e^−|z|)
        for (var i = 0; i < length; i++)
        {
            losses[i] -= logits[i] * targets[i];
        }
    }

    /// <summary><c>gradient[i] = σ(z[i]) − y[i]</c>, the derivative of <see cref="WithLogits"/> with respect to z.</summary>
    /// <param name="logits">z.</param>
    /// <param name="targets">y, as long as z.</param>
    /// <param name="gradient">Destination, as long as z.</param>
    public static void WithLogitsGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        Reproducible.Sigmoid(logits, gradient);
        TensorPrimitives.Subtract(gradient, targets, gradient);
    }
}
