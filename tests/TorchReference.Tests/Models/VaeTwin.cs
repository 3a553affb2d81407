using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>The VAE in TorchSharp: MLP encoder to (μ, log σ²), reparameterised draw with the ε given, MLP decoder to
/// Bernoulli logits; loss the negative ELBO, summed cross-entropy plus closed-form KL, over the batch size.</summary>
internal sealed class VaeTwin : nn.Module
{
    private readonly Sequential encoder;
    private readonly Linear mean;
    private readonly Linear log_var;
    private readonly Sequential decoder;

    public VaeTwin(int dimensions, int hiddenUnits, int latentDimensions) : base(nameof(VaeTwin))
    {
        encoder = nn.Sequential(nn.Linear(dimensions, hiddenUnits), nn.ReLU());
        mean = nn.Linear(hiddenUnits, latentDimensions);
        log_var = nn.Linear(hiddenUnits, latentDimensions);
        decoder = nn.Sequential(nn.Linear(latentDimensions, hiddenUnits), nn.ReLU(), nn.Linear(hiddenUnits, dimensions));
        RegisterComponents();
    }

    /// <summary>−(1/N) Σ_n ELBO(x_n) with z = μ + exp(½ log σ²) ε.</summary>
    public Tensor loss(Tensor x, Tensor epsilon)
    {
        var hidden = encoder.forward(x);
        var (mu, logVar) = (mean.forward(hidden), log_var.forward(hidden));
        var z = mu + (0.5 * logVar).exp() * epsilon;
        var reconstruction = nn.functional.binary_cross_entropy_with_logits(decoder.forward(z), x, reduction: nn.Reduction.Sum);
        var kl = -0.5 * (1 + logVar - mu.pow(2) - logVar.exp()).sum();
        return (reconstruction + kl) / x.shape[0];
    }
}
