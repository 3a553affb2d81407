using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>The adversarial autoencoder in TorchSharp (prior N(0, I), discriminator on codes alone): the three
/// phases' losses.</summary>
internal sealed class AaeTwin : nn.Module
{
    private readonly Sequential encoder;
    private readonly Sequential decoder;
    private readonly Sequential discriminator;

    public AaeTwin(int dimensions, int hiddenUnits, int latentDimensions, int discriminatorUnits) : base(nameof(AaeTwin))
    {
        encoder = nn.Sequential(nn.Linear(dimensions, hiddenUnits), nn.ReLU(), nn.Linear(hiddenUnits, latentDimensions));
        decoder = nn.Sequential(nn.Linear(latentDimensions, hiddenUnits), nn.ReLU(), nn.Linear(hiddenUnits, dimensions));
        discriminator = nn.Sequential(nn.Linear(latentDimensions, discriminatorUnits), nn.ReLU(),
            nn.Linear(discriminatorUnits, discriminatorUnits), nn.ReLU(), nn.Linear(discriminatorUnits, 1));
        RegisterComponents();
    }

    public Tensor encode(Tensor x) => encoder.forward(x);

    /// <summary>−(1/N) Σ_n log p(x_n | encoder(x_n)).</summary>
    public Tensor reconstruction_loss(Tensor x) =>
        nn.functional.binary_cross_entropy_with_logits(decoder.forward(encode(x)), x, reduction: nn.Reduction.Sum) / x.shape[0];

    /// <summary>Prior draws against 1, the (detached) codes against 0.</summary>
    public Tensor discriminator_loss(Tensor codes, Tensor priorDraws) =>
        AdversarialLossTwin.Discriminator(discriminator.forward(priorDraws), discriminator.forward(codes.detach()));

    /// <summary>The encoder's non-saturating loss on its codes.</summary>
    public Tensor encoder_loss(Tensor codes) => AdversarialLossTwin.NonSaturating(discriminator.forward(codes));
}
