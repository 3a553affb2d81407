using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>The losses of the GAN game on a discriminator's logits, shared by every adversarial model (GANs on
/// images and points, the adversarial autoencoder on codes).</summary>
internal static class AdversarialLoss
{
    /// <summary>−mean log σ(real logits) − mean log(1 − σ(fake logits)): D's binary cross-entropy with targets 1 and 0.</summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits) =>
        Losses.BinaryCrossEntropyWithLogits(realLogits, Tensor.OnesLike(realLogits))
        + Losses.BinaryCrossEntropyWithLogits(fakeLogits, Tensor.ZerosLike(fakeLogits));

    /// <summary>The non-saturating generator loss −mean log σ(fake logits): cross-entropy with target 1.</summary>
    public static Tensor NonSaturating(Tensor fakeLogits) =>
        Losses.BinaryCrossEntropyWithLogits(fakeLogits, Tensor.OnesLike(fakeLogits));

    /// <summary>The minimax (saturating) generator loss mean log(1 − σ(fake logits)) = −mean softplus(fake logits):
    /// minus D's cross-entropy on the fakes with target 0, the value function's term as written.</summary>
    public static Tensor Saturating(Tensor fakeLogits) =>
        Losses.BinaryCrossEntropyWithLogits(fakeLogits, Tensor.ZerosLike(fakeLogits)).Neg();
}
