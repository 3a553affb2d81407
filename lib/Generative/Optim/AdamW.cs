using Generative.Tensors;

namespace Generative.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization",
/// https://arxiv.org/abs/1711.05101): PyTorch's <c>torch.optim.AdamW</c>.
/// </summary>
/// <remarks>
/// Each step first shrinks the parameter, θ ← θ (1 − α λ), and then takes the plain <see cref="Adam"/> step
/// (without adding λ θ to the gradient). Unlike Adam's L2 penalty, the decay is therefore not divided by √v̂: every
/// weight decays at the same relative rate, however large its gradients. In the paper's notation
/// θₜ = θₜ₋₁ − ηₜ (α m̂ / (√v̂ + ε) + λ θₜ₋₁), PyTorch's learning rate is ηₜ α with α = 1, so the decay per step is
/// α λ. Note the default λ = 0.01, as in PyTorch.
/// </remarks>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimiser (see <see cref="Adam(IEnumerable{Tensor}, double, double, double, double, double)"/>
    /// for the arguments); <paramref name="weightDecay"/> is the decoupled decay rate λ.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true)
    {
    }
}
